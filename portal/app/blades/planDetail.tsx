import { routes, type RecoveryPlan } from "../../../client";
import { ApiErrorAlert } from "../components/apiError";
import { DataTable } from "../components/dataTable";
import { PlanActions } from "../components/planActions";
import { useFerry } from "../ferry";
import { duration, words } from "../format";
import { useLive } from "../live";
import { itemCount, lastJob } from "../planFacts";
import { href } from "../router";

type Group = RecoveryPlan["groups"][number];
type Item = Group["items"][number];
type Action = Group["postActions"][number];

const actionText = (action: Action) =>
  action.kind === "Manual"
    ? `${action.name} (manual): ${action.instructions}`
    : `${action.name} (webhook): ${action.url}`;

function Actions(props: { when: string; actions: Action[] }) {
  if (props.actions.length === 0) return null;
  return (
    <p>
      {props.when}:{" "}
      {props.actions.map((action, at) => (
        <span key={action.name}>
          {at > 0 ? "; " : ""}
          {actionText(action)}
        </span>
      ))}
    </p>
  );
}

function GroupPanel(props: { projectId: string; group: Group; index: number }) {
  const { group } = props;
  const headingId = `plan-group-${props.index}`;
  return (
    <section class="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>
        Group {props.index + 1}: {group.name}
      </h2>
      <Actions when="Before the group" actions={group.preActions} />
      <DataTable<Item>
        label={`Servers of ${group.name}`}
        rows={group.items}
        rowKey={(i) => i.id}
        empty="No servers."
        columns={[
          {
            title: "Server",
            cell: (i) => (i.migrationState ? <a href={href.server(props.projectId, i.id)}>{i.name}</a> : i.name),
          },
          { title: "State", cell: (i) => (i.migrationState ? words(i.migrationState) : "A removed server") },
          { title: "Test migration", cell: (i) => (i.testMigrateState ? words(i.testMigrateState) : "—") },
          { title: "Estimated final sync", cell: (i) => duration(i.estimatedFinalSyncSeconds) },
        ]}
      />
      <Actions when="After the group" actions={group.postActions} />
    </section>
  );
}

/** One plan: its groups in order with each server's state, its last job, and its operations. */
export function PlanDetail(props: { projectId: string; planId: string }) {
  const { client } = useFerry();
  const project = client.project(props.projectId);
  const data = useLive(
    async (signal) => {
      const [plan, jobs] = await Promise.all([
        project.call(routes.getRecoveryPlan, { params: { planId: props.planId }, signal }),
        project.listAll(routes.listJobs, { signal }),
      ]);
      return { plan, job: lastJob(plan, jobs) };
    },
    [props.planId],
  );
  const plan = data.data?.plan;
  const job = data.data?.job;
  return (
    <>
      <h1>{plan ? `Recovery plan: ${plan.name}` : "Recovery plan"}</h1>
      <ApiErrorAlert error={data.error} />
      {plan ? (
        <>
          {plan.description ? <p>{plan.description}</p> : null}
          <dl class="summary">
            <div>
              <dt>Groups</dt>
              <dd>{plan.groups.length}</dd>
            </div>
            <div>
              <dt>Items</dt>
              <dd>{itemCount(plan)}</dd>
            </div>
            <div>
              <dt>Last job</dt>
              <dd>
                {job ? <a href={href.job(props.projectId, job.id)}>{job.displayName}</a> : "None yet"}
                {job ? ` (${words(job.state)})` : ""}
              </dd>
            </div>
          </dl>
          <PlanActions projectId={props.projectId} plan={plan} onStarted={data.reload} />
          {plan.groups.map((group, index) => (
            <GroupPanel key={group.name} projectId={props.projectId} group={group} index={index} />
          ))}
        </>
      ) : null}
    </>
  );
}
