import { useState } from "preact/hooks";
import type { Job, RecoveryPlan } from "../../../client";
import { mayAct } from "../../../shared/domain/operatorRoles";
import { useFerry } from "../ferry";
import {
  defaultPlanChoices,
  planOperationHelp,
  planOperationKeys,
  planOperationNames,
  startPlanOperation,
  type PlanChoices,
  type PlanOperationKey,
} from "../planOperations";
import { href } from "../router";
import { fieldError } from "./apiError";
import { CheckField, TextField } from "./fields";
import { Modal } from "./modal";
import { useSubmit } from "../useSubmit";
import { NetworkFields } from "./networkFields";
import { PlanRefusalAlert } from "./planRefusal";

function PlanFields(props: {
  operation: PlanOperationKey;
  choices: PlanChoices;
  set(change: Partial<PlanChoices>): void;
  error: unknown;
}) {
  const { choices, set, error } = props;
  if (props.operation === "testMigrate")
    return (
      <NetworkFields
        network={choices.network}
        subnet={choices.subnet}
        set={set}
        error={error}
        hint="A non-production network: the test VMs boot in it."
      />
    );
  if (props.operation !== "migrate") return null;
  return (
    <>
      <CheckField
        label="Shut down source"
        checked={choices.shutdownSource}
        onChange={(shutdownSource) => set({ shutdownSource })}
        hint="Each source is shut down when its group's turn comes, and its last changes replicated: no data loss."
      />
      <TextField
        type="datetime-local"
        label="Start time"
        value={choices.startAt}
        onInput={(startAt) => set({ startAt })}
        error={fieldError(error, "startAt")}
        hint="Optional: the job waits until then (your local time). Empty: now."
      />
      <TextField
        type="number"
        label="Max downtime (seconds)"
        value={choices.maxDowntimeSeconds}
        onInput={(maxDowntimeSeconds) => set({ maxDowntimeSeconds })}
        error={fieldError(error, "maxDowntimeSeconds")}
        hint="Optional: refused if a server's estimated final sync is longer."
      />
    </>
  );
}

function PlanDialog(props: { projectId: string; plan: RecoveryPlan; operation: PlanOperationKey; onClose(): void }) {
  const ferry = useFerry();
  const name = planOperationNames[props.operation];
  const [choices, setChoices] = useState<PlanChoices>(defaultPlanChoices);
  const started = (job: Job) => {
    ferry.watchJob(props.projectId, job);
    ferry.notify(`${job.displayName} started`, href.job(props.projectId, job.id));
    props.onClose();
  };
  const ids = { projectId: props.projectId, planId: props.plan.id };
  const { busy, error, submit } = useSubmit(async () =>
    started(await startPlanOperation(ferry.client, ids, props.operation, choices)),
  );
  return (
    <Modal title={`${name}: ${props.plan.name}`} onClose={props.onClose}>
      <form onSubmit={submit}>
        <p>{planOperationHelp[props.operation]}</p>
        <PlanFields
          operation={props.operation}
          choices={choices}
          set={(change) => setChoices((old) => ({ ...old, ...change }))}
          error={error}
        />
        <PlanRefusalAlert projectId={props.projectId} error={error} what={`${name} was refused`} />
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

/** The plan's operations, for a role that may act; the API says which may start now, and why not. */
export function PlanActions(props: { projectId: string; plan: RecoveryPlan; onStarted(): void }) {
  const { role } = useFerry();
  const [open, setOpen] = useState<PlanOperationKey>();
  if (!mayAct(role)) return null;
  return (
    <div class="actions">
      {planOperationKeys.map((operation) => (
        <button type="button" key={operation} onClick={() => setOpen(operation)}>
          {planOperationNames[operation]}
        </button>
      ))}
      {open ? (
        <PlanDialog
          projectId={props.projectId}
          plan={props.plan}
          operation={open}
          onClose={() => {
            setOpen(undefined);
            props.onStarted();
          }}
        />
      ) : null}
    </div>
  );
}
