import { isFerryError } from "../../domain/errors";
import type { RecoveryPointType } from "../../domain/recoveryPoints";
import { columns } from "../../storage/columns";
import type { RecoveryPointRow } from "../../storage/rows";
import { measurePoint } from "../../telemetry";
import type { DataPathDeps, PointDisk } from "../store";

/** A point about to be recorded; its id derives from what made it (`cyclePointId`). */
export interface NewPoint {
  projectId: string;
  itemId: string;
  pointId: string;
  /** The source time the point holds (ISO 8601). */
  time: string;
  type: RecoveryPointType;
  disks: PointDisk[];
  /** The cycle that made it, or `job:<id>` for a point captured for a job. */
  cycleId: string;
  final: boolean;
}

/**
 * The one insert of a recovery-point row, written after the data it names. A repeat of the
 * same cycle or job names the same id: the first row wins, the loser's snapshots are orphans
 * the sweep removes.
 */
export async function insertPoint(deps: DataPathDeps, point: NewPoint): Promise<void> {
  const { itemId, pointId, disks, ...fields } = point;
  const row: RecoveryPointRow = {
    ...fields,
    disks: columns.pointDisks.serialize(disks),
    pins: columns.pointPins.serialize([]),
    createdAt: deps.now().toISOString(),
  };
  try {
    await deps.stores.recoveryPoints.insert(itemId, pointId, row);
  } catch (error) {
    if (!isFerryError(error) || error.code !== "AlreadyExists") throw error;
    return;
  }
  measurePoint({ type: point.type, origin: point.cycleId.startsWith("job:") ? "job" : "cycle", final: point.final });
}
