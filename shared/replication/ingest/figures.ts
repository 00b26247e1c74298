/** What an acknowledged batch adds to its item's figures (the replicating-servers grid reads them). */
import { changeItem, type ItemDisk } from "../../controlPlane/items";
import { seedingProgress } from "../../domain/agentInstructions";
import type { AgentItem, DataPathDeps } from "../store";

/** Per-disk bytes and upload speed, and the initial-replication percentage while seeding. */
export async function recordFigures(
  deps: DataPathDeps,
  item: AgentItem,
  diskId: string,
  coveredBytes: number,
  bytesPerSecond: number,
): Promise<void> {
  await changeItem(deps, item.projectId, item.itemId, (row) => {
    const disks = (JSON.parse(row.disks) as ItemDisk[]).map((d) =>
      d.diskId === diskId
        ? { ...d, bytesReplicated: d.bytesReplicated + coveredBytes, uploadBytesPerSecond: Math.round(bytesPerSecond) }
        : d,
    );
    const seeding = row.migrationState === "InitialSeedingInProgress";
    const progress = seeding
      ? seedingProgress(
          disks.filter((d) => d.include).map((d) => ({ sizeBytes: d.sizeBytes, coveredBytes: d.bytesReplicated })),
          false,
        )
      : row.initialSeedingProgress;
    const now = deps.now().toISOString();
    return {
      ...row,
      disks: JSON.stringify(disks),
      initialSeedingProgress: progress,
      lastProgressTime: now,
      updatedAt: now,
    };
  });
}
