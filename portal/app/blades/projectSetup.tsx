import { useState } from "preact/hooks";
import { routes, type Appliance } from "../../../client";
import { mayAct } from "../../../shared/domain/operatorRoles";
import { ApiErrorAlert } from "../components/apiError";
import { DataTable } from "../components/dataTable";
import { ShownOnce } from "../components/shownOnce";
import { useFerry } from "../ferry";
import { time } from "../format";
import { useLive } from "../live";
import { Policies } from "./policies";

function RegistrationKey(props: { projectId: string }) {
  const { client, role } = useFerry();
  const [key, setKey] = useState<{ key: string; expiresAt: string }>();
  const [error, setError] = useState<unknown>();
  const generate = () =>
    client.call(routes.createRegistrationKey, { params: { projectId: props.projectId } }).then(setKey, setError);
  return (
    <section class="panel" aria-labelledby="registration-key">
      <h2 id="registration-key">Registration key</h2>
      <p>The replication appliance registers with this key (single use, valid 5 days).</p>
      {mayAct(role) ? (
        <button type="button" onClick={generate}>
          Generate registration key
        </button>
      ) : null}
      <ShownOnce label="Registration key" value={key?.key} note={`Expires ${time(key?.expiresAt)}. Shown once.`} />
      <ApiErrorAlert error={error} />
    </section>
  );
}

function Appliances(props: { projectId: string }) {
  const { client, role } = useFerry();
  const project = client.project(props.projectId);
  const appliances = useLive((signal) => project.listAll(routes.listAppliances, { signal }), [props.projectId]);
  const [passphrase, setPassphrase] = useState<string>();
  const [error, setError] = useState<unknown>();
  const act = (work: Promise<unknown>) => work.then(appliances.reload, setError);
  const buttons = (a: Appliance) =>
    mayAct(role) ? (
      <div class="actions">
        {a.state === "Registered" ? (
          <button
            type="button"
            onClick={() => act(project.call(routes.finalizeAppliance, { params: { applianceId: a.id } }))}
          >
            Finalize
          </button>
        ) : null}
        <button
          type="button"
          onClick={() =>
            act(
              project
                .call(routes.rotatePassphrase, { params: { applianceId: a.id } })
                .then((answer) => setPassphrase(answer.passphrase)),
            )
          }
        >
          Rotate passphrase
        </button>
      </div>
    ) : null;
  return (
    <section class="panel" aria-labelledby="appliances">
      <h2 id="appliances">Appliances</h2>
      <ApiErrorAlert error={error ?? appliances.error} />
      <DataTable<Appliance>
        label="Appliances"
        rows={appliances.data ?? []}
        rowKey={(a) => a.id}
        empty="No appliance has registered yet: it registers itself with the registration key."
        columns={[
          { title: "Name", cell: (a) => a.name },
          { title: "State", cell: (a) => a.state },
          { title: "Registered", cell: (a) => time(a.registeredAt) },
          { title: "Passphrase rotated", cell: (a) => time(a.passphraseRotatedAt) },
          { title: "Actions", cell: buttons },
        ]}
      />
      <ShownOnce
        label="New passphrase"
        value={passphrase}
        note="Agents registered before keep working; new agents register with this one. Shown once."
      />
    </section>
  );
}

/** Set-up: the registration key, the appliances (finalize, rotate the passphrase) and the policies. */
export function ProjectSetup(props: { projectId: string }) {
  return (
    <>
      <h1>Set-up</h1>
      <RegistrationKey projectId={props.projectId} />
      <Appliances projectId={props.projectId} />
      <Policies projectId={props.projectId} />
    </>
  );
}
