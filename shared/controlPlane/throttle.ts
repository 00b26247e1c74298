import { changeItem, getItemRow } from "./items";
import type { ControlPlaneDeps } from "./deps";

/**
 * The agent's bandwidth cap, sent with every heartbeat's instructions; null removes it.
 * Any time, unlike target settings.
 */
export async function setThrottle(
  deps: ControlPlaneDeps,
  projectId: string,
  itemId: string,
  bytesPerSecond: number | null,
): Promise<void> {
  await getItemRow(deps, projectId, itemId);
  await changeItem(deps, projectId, itemId, (row) => {
    const { throttleBytesPerSecond: _old, ...rest } = row;
    return {
      ...rest,
      ...(bytesPerSecond === null ? {} : { throttleBytesPerSecond: bytesPerSecond }),
      updatedAt: deps.now().toISOString(),
    };
  });
}
