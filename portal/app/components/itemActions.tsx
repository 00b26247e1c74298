import { useState } from "preact/hooks";
import type { ReplicatingServer } from "../../../client";
import type { ItemOperation } from "../../../shared/domain/itemState";
import { useFerry } from "../ferry";
import { operationNames, shownOperations } from "../operations";
import { href } from "../router";
import { ActionDialog } from "./actionDialog";

/** A server's action buttons (what the role may do and the item allows now) and the dialog one opens. */
export function ItemActions(props: { projectId: string; item: ReplicatingServer; onStarted(): void }) {
  const ferry = useFerry();
  const [open, setOpen] = useState<ItemOperation>();
  const operations = shownOperations(ferry.role, props.item);
  if (operations.length === 0) return null;
  return (
    <div class="actions">
      {operations.map((operation) => (
        <button type="button" key={operation} onClick={() => setOpen(operation)}>
          {operationNames[operation]}
        </button>
      ))}
      {open ? (
        <ActionDialog
          projectId={props.projectId}
          item={props.item}
          operation={open}
          onClose={() => setOpen(undefined)}
          onStarted={(job) => {
            setOpen(undefined);
            ferry.watchJob(props.projectId, job);
            ferry.notify(`${job.displayName} started for ${props.item.machineName}`, href.job(props.projectId, job.id));
            props.onStarted();
          }}
        />
      ) : null}
    </div>
  );
}
