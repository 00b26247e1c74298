/**
 * The agent's replication journal (`journal.json` in the state dir): per disk, the epoch, the
 * next sequence to send and how far the initial copy got, each advanced only after the server
 * acknowledged the batch, and after the digest map holds that batch's blocks. Losing it never
 * loses data: it only makes the agent resend (see docs/agent-run.md).
 */
import fs from "node:fs";
import path from "node:path";
import * as z from "zod";
import { writeFileAtomic } from "./atomicFile";
import { diskModes } from "./protocol";

const count = z.number().int().nonnegative();

const diskJournalSchema = z.object({
  epoch: count,
  nextSequence: count,
  mode: z.enum(diskModes),
  /** Bytes from the disk's start that the server holds for the initial copy (or resync). */
  copyOffset: count,
  copyComplete: z.boolean(),
  lastAck: z.object({ sequence: count, at: z.string() }).optional(),
  /** Why the agent distrusts what it knows about this disk, until a resync (or initial copy) completes. */
  doubt: z.string().optional(),
  /** When the doubt arose: the server starts one resync per doubt, whatever the number of reports. */
  doubtAt: z.string().optional(),
  /** The server's id of the resync this disk's copy belongs to (a new id restarts the copy). */
  resyncId: z.string().optional(),
});
export type DiskJournal = z.infer<typeof diskJournalSchema>;

const journalSchema = z.object({
  version: z.literal(1),
  disks: z.record(z.string(), diskJournalSchema),
  lastCycle: z
    .object({
      cycleId: z.string(),
      recoveryPointId: z.string(),
      type: z.string(),
      sourceTime: z.string(),
      at: z.string(),
    })
    .optional(),
  lastError: z.object({ at: z.string(), message: z.string() }).optional(),
  lastAppConsistentAt: z.string().optional(),
  finalSync: z
    .object({
      shutdownAt: z.string().optional(),
      shutdownOk: z.boolean().optional(),
      completedAt: z.string().optional(),
    })
    .optional(),
});
export type Journal = z.infer<typeof journalSchema>;

export const journalFile = (stateDir: string): string => path.join(stateDir, "journal.json");

export function emptyJournal(): Journal {
  return { version: 1, disks: {} };
}

/** The journal, or an empty one and the reason it could not be trusted. */
export function readJournal(stateDir: string): { journal: Journal; problem?: string } {
  const file = journalFile(stateDir);
  if (!fs.existsSync(file)) return { journal: emptyJournal(), problem: "missing" };
  try {
    const parsed = journalSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
    if (parsed.success) return { journal: parsed.data };
    return { journal: emptyJournal(), problem: `unreadable (${parsed.error.issues[0]?.message ?? "invalid"})` };
  } catch (error) {
    return {
      journal: emptyJournal(),
      problem: `unreadable (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}

/** The journal in memory plus crash-safe saves; every change is saved before it is relied on. */
export class JournalStore {
  constructor(
    private readonly stateDir: string,
    private current: Journal,
  ) {}

  get value(): Journal {
    return this.current;
  }

  disk(diskId: string): DiskJournal | undefined {
    return this.current.disks[diskId];
  }

  update(change: (journal: Journal) => void): void {
    const next = structuredClone(this.current);
    change(next);
    writeFileAtomic(journalFile(this.stateDir), JSON.stringify(next, null, 2));
    this.current = next;
  }

  updateDisk(diskId: string, change: (disk: DiskJournal) => void): void {
    this.update((journal) => {
      const disk = journal.disks[diskId];
      if (!disk) throw new Error(`The journal has no entry for ${diskId}.`);
      change(disk);
    });
  }
}
