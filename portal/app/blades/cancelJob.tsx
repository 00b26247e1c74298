import { useState } from "preact/hooks";
import { routes, type Job } from "../../../client";
import { requestCancel } from "../../../shared/domain/jobCancellation";
import { mayAct } from "../../../shared/domain/operatorRoles";
import { ApiErrorAlert } from "../components/apiError";
import { Modal } from "../components/modal";
import { useFerry } from "../ferry";

/** The jobs the API can cancel (it undoes what they made); others run to their end. */
const cancellable: readonly Job["operation"][] = [
  "TestMigrate",
  "Migrate",
  "RecoveryPlanTestMigrate",
  "RecoveryPlanMigrate",
];

export function mayCancel(job: Job): boolean {
  return cancellable.includes(job.operation) && requestCancel(job, new Date()).ok;
}

/** "Cancel" where a cancel can still take effect, with a dialog that says what it does. */
export function CancelJob(props: { projectId: string; job: Job; onDone(): void }) {
  const ferry = useFerry();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>();
  if (!mayAct(ferry.role) || !mayCancel(props.job)) return null;
  const confirm = async () => {
    setError(undefined);
    try {
      await ferry.client.project(props.projectId).call(routes.cancelJob, { params: { jobId: props.job.id } });
      ferry.watchJob(props.projectId, props.job);
      setOpen(false);
      props.onDone();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Cancel
      </button>
      {open ? (
        <Modal title={`Cancel ${props.job.displayName}`} onClose={() => setOpen(false)}>
          <p>The running task finishes, then the job undoes what it made and ends Cancelled.</p>
          <ApiErrorAlert error={error} what="The cancel was refused" />
          <div class="buttons">
            <button type="button" class="primary" onClick={() => void confirm()}>
              Cancel job
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Keep running
            </button>
          </div>
        </Modal>
      ) : null}
    </>
  );
}
