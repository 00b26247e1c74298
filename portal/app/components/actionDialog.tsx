import { useState } from "preact/hooks";
import { routes, type Job, type RecoveryPoint, type ReplicatingServer } from "../../../client";
import type { ItemOperation } from "../../../shared/domain/itemState";
import { useFerry } from "../ferry";
import { time } from "../format";
import { useLive } from "../live";
import { operationFields, operationHelp, operationNames } from "../operations";
import { ApiErrorAlert, fieldError } from "./apiError";
import { CheckField, SelectField } from "./fields";
import { Modal } from "./modal";
import { useSubmit } from "../useSubmit";
import { NetworkFields } from "./networkFields";
import { startOperation, type OperationChoices } from "./startOperation";

const namedPoints = [
  { value: "LatestProcessed", label: "Latest processed (no wait)" },
  { value: "Latest", label: "Latest (replicates what is pending first)" },
  { value: "LatestApplicationConsistent", label: "Latest app-consistent" },
  { value: "LatestCrashConsistent", label: "Latest crash-consistent" },
];

function pointOptions(operation: ItemOperation, points: RecoveryPoint[] | undefined) {
  const first = operation === "Migrate" ? [{ value: "", label: "The final point after shutdown, or the latest" }] : [];
  const listed = (points ?? []).map((p) => ({ value: p.id, label: `${time(p.time)} (${p.type})` }));
  return [...first, ...namedPoints, ...listed];
}

/** The operation's own fields, labelled with the API's words; the API's message under the field it names. */
function OperationFieldset(props: {
  operation: ItemOperation;
  choices: OperationChoices;
  set(change: Partial<OperationChoices>): void;
  error: unknown;
  points?: RecoveryPoint[];
}) {
  const { choices, set, error } = props;
  const fields = operationFields[props.operation];
  return (
    <>
      {fields.includes("network") ? (
        <NetworkFields
          network={choices.network}
          subnet={choices.subnet}
          set={set}
          error={error}
          hint="A non-production network: the test VM boots in it."
        />
      ) : null}
      {fields.includes("shutdown") ? (
        <CheckField
          label="Shut down source"
          checked={choices.shutdownSource}
          onChange={(shutdownSource) => set({ shutdownSource })}
          hint="Shut the source down and replicate its last changes first: no data loss."
        />
      ) : null}
      {fields.includes("recoveryPoint") ? (
        <SelectField
          label="Recovery point"
          value={choices.recoveryPoint}
          onChange={(recoveryPoint) => set({ recoveryPoint })}
          options={pointOptions(props.operation, props.points)}
          error={fieldError(error, "recoveryPoint")}
        />
      ) : null}
    </>
  );
}

/** An operation's dialog: the API's fields, its confirm button named as the operation, the API's refusal. */
export function ActionDialog(props: {
  projectId: string;
  item: ReplicatingServer;
  operation: ItemOperation;
  onClose(): void;
  onStarted(job: Job): void;
}) {
  const { client } = useFerry();
  const project = client.project(props.projectId);
  const fields = operationFields[props.operation];
  const name = operationNames[props.operation];
  const [choices, setChoices] = useState<OperationChoices>({
    network: "",
    subnet: "",
    recoveryPoint: props.operation === "Migrate" ? "" : "LatestProcessed",
    shutdownSource: true,
  });
  const points = useLive(
    (signal) =>
      fields.includes("recoveryPoint")
        ? project.listAll(routes.listRecoveryPoints, { params: { itemId: props.item.id }, signal })
        : Promise.resolve([]),
    [props.item.id],
    60_000,
  );
  const { busy, error, submit } = useSubmit(async () =>
    props.onStarted(await startOperation(project, props.item.id, props.operation, choices)),
  );
  return (
    <Modal title={`${name}: ${props.item.machineName}`} onClose={props.onClose}>
      <form onSubmit={submit}>
        <p>{operationHelp[props.operation]}</p>
        <OperationFieldset
          operation={props.operation}
          choices={choices}
          set={(change) => setChoices((old) => ({ ...old, ...change }))}
          error={error}
          points={points.data}
        />
        <ApiErrorAlert error={error} what={`${name} was refused`} />
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            {name}
          </button>
          <button type="button" onClick={props.onClose}>
            Close
          </button>
        </div>
      </form>
    </Modal>
  );
}
