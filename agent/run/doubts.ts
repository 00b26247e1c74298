/**
 * The agent's doubts about its own state, as the heartbeat reports them (`resyncNeeded`). A
 * cycle does not replicate a doubtful disk in Delta until the server has heard of the doubt:
 * the server answers with a resync, and the agent's re-read is what settles it.
 */
import type { DiskJournal, JournalStore } from "./journal";
import type { HeartbeatRequest, Instructions } from "./protocol";

type Reports = NonNullable<HeartbeatRequest["resyncNeeded"]>;

/** A doubt the server has not heard yet stops the cycle before it sends anything. */
export class DoubtToReport extends Error {
  constructor(readonly diskIds: string[]) {
    super(`doubtful state on ${diskIds.join(", ")}: reporting it to the server before replicating`);
  }
}

const key = (diskId: string, disk: DiskJournal) => `${diskId}@${disk.doubtAt ?? ""}`;

export class DoubtLedger {
  private readonly reported = new Set<string>();

  constructor(private readonly journal: JournalStore) {}

  /** The heartbeat's `resyncNeeded`: every disk the journal still doubts. */
  reports(): Reports {
    return Object.entries(this.journal.value.disks).flatMap(([diskId, disk]) =>
      disk.doubt
        ? [{ diskId, reason: disk.doubt.slice(0, 500), since: disk.doubtAt ?? new Date(0).toISOString() }]
        : [],
    );
  }

  /** The server answered a heartbeat that carried these reports. */
  delivered(reports: Reports): void {
    for (const report of reports) this.reported.add(`${report.diskId}@${report.since}`);
  }

  /** Throws when a disk the server wants as Delta holds a doubt no heartbeat has delivered yet. */
  checkReported(instructions: Instructions): void {
    const unheard = instructions.disks.filter((instruction) => {
      const disk = this.journal.disk(instruction.diskId);
      return (
        instruction.mode === "Delta" && disk?.doubt !== undefined && !this.reported.has(key(instruction.diskId, disk))
      );
    });
    if (unheard.length > 0) throw new DoubtToReport(unheard.map((disk) => disk.diskId));
  }
}
