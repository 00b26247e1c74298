import { useState } from "preact/hooks";
import { routes, type Policy } from "../../../client";
import { mayAct } from "../../../shared/domain/operatorRoles";
import { ApiErrorAlert, fieldError } from "../components/apiError";
import { DataTable } from "../components/dataTable";
import { TextField } from "../components/fields";
import { useFerry } from "../ferry";
import { useLive } from "../live";

const numbers = [
  ["rpoThresholdMinutes", "RPO threshold (minutes)"],
  ["recoveryPointRetentionHours", "Recovery point retention (hours)"],
  ["crashConsistentFrequencyMinutes", "Crash-consistent frequency (minutes)"],
  ["appConsistentFrequencyMinutes", "App-consistent frequency (minutes, 0 = off)"],
] as const;

type NumberField = (typeof numbers)[number][0];

function CreatePolicy(props: { projectId: string; onCreated(): void }) {
  const { client } = useFerry();
  const [name, setName] = useState("");
  const [values, setValues] = useState<Record<NumberField, string>>({
    rpoThresholdMinutes: "60",
    recoveryPointRetentionHours: "72",
    crashConsistentFrequencyMinutes: "5",
    appConsistentFrequencyMinutes: "240",
  });
  const [error, setError] = useState<unknown>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const body = {
      name,
      rpoThresholdMinutes: Number(values.rpoThresholdMinutes),
      recoveryPointRetentionHours: Number(values.recoveryPointRetentionHours),
      crashConsistentFrequencyMinutes: Number(values.crashConsistentFrequencyMinutes),
      appConsistentFrequencyMinutes: Number(values.appConsistentFrequencyMinutes),
    };
    try {
      await client.call(routes.createPolicy, { params: { projectId: props.projectId }, body });
      setName("");
      props.onCreated();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Create a policy">
      <h3>Create a policy</h3>
      <TextField label="Policy name" value={name} onInput={setName} error={fieldError(error, "name")} />
      {numbers.map(([field, label]) => (
        <TextField
          key={field}
          label={label}
          value={values[field]}
          onInput={(value) => setValues((old) => ({ ...old, [field]: value }))}
          error={fieldError(error, field)}
        />
      ))}
      <ApiErrorAlert error={error} />
      <div class="buttons">
        <button type="submit">Create policy</button>
      </div>
    </form>
  );
}

/** The project's replication policies. */
export function Policies(props: { projectId: string }) {
  const { client, role } = useFerry();
  const policies = useLive(
    (signal) => client.project(props.projectId).listAll(routes.listPolicies, { signal }),
    [props.projectId],
  );
  return (
    <section class="panel" aria-labelledby="policies">
      <h2 id="policies">Replication policies</h2>
      <ApiErrorAlert error={policies.error} />
      <DataTable<Policy>
        label="Replication policies"
        rows={policies.data ?? []}
        rowKey={(p) => p.id}
        empty="No policy yet."
        columns={[
          { title: "Name", cell: (p) => p.name },
          { title: "RPO threshold", cell: (p) => `${p.rpoThresholdMinutes} min` },
          { title: "Retention", cell: (p) => `${p.recoveryPointRetentionHours} h` },
          { title: "Crash-consistent", cell: (p) => `every ${p.crashConsistentFrequencyMinutes} min` },
          {
            title: "App-consistent",
            cell: (p) => (p.appConsistentFrequencyMinutes ? `every ${p.appConsistentFrequencyMinutes} min` : "off"),
          },
        ]}
      />
      {mayAct(role) ? <CreatePolicy projectId={props.projectId} onCreated={policies.reload} /> : null}
    </section>
  );
}
