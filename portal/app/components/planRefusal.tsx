import { duration } from "../format";
import { isFerryApiError, type BlockingItem } from "../../../client";
import { href } from "../router";
import { ApiErrorAlert } from "./apiError";

function why(projectId: string, item: BlockingItem) {
  if (item.reason !== undefined && item.jobId !== undefined)
    return (
      <>
        {item.reason} (<a href={href.job(projectId, item.jobId)}>the job</a>)
      </>
    );
  if (item.reason !== undefined) return item.reason;
  if (item.estimatedFinalSyncSeconds !== undefined)
    return item.estimatedFinalSyncSeconds === null
      ? "no final-sync estimate yet"
      : `final sync estimated at ${duration(item.estimatedFinalSyncSeconds)}`;
  return "";
}

/** The API's refusal of a plan operation, and each item it named, by name, with its reason. */
export function PlanRefusalAlert(props: { projectId: string; error: unknown; what: string }) {
  const items = isFerryApiError(props.error) ? (props.error.items ?? []) : [];
  return (
    <>
      <ApiErrorAlert error={props.error} what={props.what} />
      {items.length > 0 ? (
        <ul class="job-errors" aria-label="Items that block it">
          {items.map((item) => (
            <li key={item.itemId}>
              <strong>{item.name}</strong>: {why(props.projectId, item)}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
