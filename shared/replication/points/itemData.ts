import { getItemRow, type ItemDisk } from "../../controlPlane/items";
import { cachePrefix, projectContainer, replicaRef, type DataPathDeps } from "../store";

/**
 * Removes what replication kept for an item once its migration is complete: recovery-point
 * rows first (nothing then points at the data), then the replicas with their snapshots, the
 * staged batches and the disk cursors. Target VMs are separate copies and stay. Idempotent.
 */
export async function removeItemData(deps: DataPathDeps, projectId: string, itemId: string): Promise<string> {
  const row = await getItemRow(deps, projectId, itemId);
  let points = 0;
  for await (const point of deps.stores.recoveryPoints.partition(itemId)) {
    await deps.stores.recoveryPoints.delete(itemId, point.rowKey);
    points += 1;
  }
  const disks = JSON.parse(row.disks) as ItemDisk[];
  for (const disk of disks) await deps.replicas.deleteWithSnapshots(replicaRef(projectId, itemId, disk.diskId));
  let staged = 0;
  for await (const blob of deps.cache.list(projectContainer(projectId), cachePrefix(itemId))) {
    await deps.cache.delete({ container: projectContainer(projectId), name: blob.name });
    staged += 1;
  }
  for (const disk of disks) await deps.stores.diskCursors.delete(itemId, disk.diskId);
  return (
    `Deleted ${points} recovery point(s), ${disks.length} replica(s) with their snapshots ` +
    `and ${staged} cached batch(es).`
  );
}
