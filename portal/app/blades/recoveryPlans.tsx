import { useState } from "preact/hooks";
import { routes, type CreatedRecoveryPlan, type RecoveryPlan } from "../../../client";
import { mayAct } from "../../../shared/domain/operatorRoles";
import { ApiErrorAlert } from "../components/apiError";
import { DataTable } from "../components/dataTable";
import { Modal } from "../components/modal";
import { ShownOnce } from "../components/shownOnce";
import { useFerry } from "../ferry";
import { words } from "../format";
import { useLive } from "../live";
import { itemCount, lastJob } from "../planFacts";
import { href } from "../router";
import { CreatePlan } from "./planForm";

function DeletePlan(props: { projectId: string; plan: RecoveryPlan; onDone(): void }) {
  const { client } = useFerry();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>();
  const confirm = () =>
    client
      .project(props.projectId)
      .call(routes.deleteRecoveryPlan, { params: { planId: props.plan.id } })
      .then(() => {
        setOpen(false);
        props.onDone();
      }, setError);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Delete
      </button>
      {open ? (
        <Modal title={`Delete ${props.plan.name}`} onClose={() => setOpen(false)}>
          <p>The plan goes; its servers keep replicating and its jobs stay.</p>
          <ApiErrorAlert error={error} what="The delete was refused" />
          <div class="buttons">
            <button type="button" class="primary" onClick={() => void confirm()}>
              Delete plan
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Keep it
            </button>
          </div>
        </Modal>
      ) : null}
    </>
  );
}

function Created(props: { projectId: string; created?: CreatedRecoveryPlan }) {
  if (props.created === undefined) return null;
  const { plan, webhookSecret } = props.created;
  return (
    <section class="panel" aria-labelledby="created-plan">
      <h2 id="created-plan">
        Created <a href={href.plan(props.projectId, plan.id)}>{plan.name}</a>
      </h2>
      <ShownOnce
        label="Webhook signing secret"
        value={webhookSecret}
        note="Webhook receivers check x-ferry-signature (HMAC-SHA256 of the body) with it. Shown once."
      />
    </section>
  );
}

/** The project's recovery plans: their groups, items and last job; a form that creates one; Delete. */
export function RecoveryPlans(props: { projectId: string }) {
  const { client, role } = useFerry();
  const project = client.project(props.projectId);
  const [created, setCreated] = useState<CreatedRecoveryPlan>();
  const data = useLive(
    async (signal) => {
      const [plans, jobs] = await Promise.all([
        project.listAll(routes.listRecoveryPlans, { signal }),
        project.listAll(routes.listJobs, { signal }),
      ]);
      return { plans, jobs };
    },
    [props.projectId],
  );
  const jobCell = (plan: RecoveryPlan) => {
    const job = lastJob(plan, data.data?.jobs ?? []);
    return job ? <a href={href.job(props.projectId, job.id)}>{job.displayName}</a> : "—";
  };
  return (
    <>
      <h1>Recovery plans</h1>
      <ApiErrorAlert error={data.error} />
      <DataTable<RecoveryPlan>
        label="Recovery plans"
        rows={data.data?.plans ?? []}
        rowKey={(p) => p.id}
        empty={data.data ? "No recovery plan yet." : "Loading…"}
        columns={[
          { title: "Name", cell: (p) => <a href={href.plan(props.projectId, p.id)}>{p.name}</a> },
          { title: "Groups", cell: (p) => p.groups.map((g) => g.name).join(", ") },
          { title: "Items", cell: itemCount },
          { title: "Last job", cell: jobCell },
          { title: "Job state", cell: (p) => words(lastJob(p, data.data?.jobs ?? [])?.state ?? "—") },
          {
            title: "Actions",
            cell: (p) =>
              mayAct(role) ? <DeletePlan projectId={props.projectId} plan={p} onDone={data.reload} /> : null,
          },
        ]}
      />
      <Created projectId={props.projectId} created={created} />
      {mayAct(role) ? (
        <section class="panel">
          <CreatePlan
            projectId={props.projectId}
            onCreated={(answer) => {
              setCreated(answer);
              data.reload();
            }}
          />
        </section>
      ) : null}
    </>
  );
}
