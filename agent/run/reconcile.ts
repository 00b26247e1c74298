/**
 * Reconciles one disk's journal entry with the server's instruction at a cycle's start. The
 * server's sequence is the truth: higher means it holds batches whose ack the agent never
 * recorded (skip ahead); lower means acknowledged batches were lost, so the digest map no
 * longer describes the replica and everything is sent again.
 */
import type { DiskJournal } from "./journal";
import type { DiskInstruction } from "./protocol";

export interface Reconciled {
  disk: DiskJournal;
  /** Start the digest map anew (every block unknown, so every block is sent). */
  resetMap: boolean;
  /** Set when what the agent knew about this disk is doubtful; logged and reported. */
  doubt?: string;
  note?: string;
}

export function reconcileDisk(previous: DiskJournal | undefined, instruction: DiskInstruction, epoch: number): Reconciled {
  const fresh: DiskJournal = { epoch, nextSequence: instruction.nextSequence, mode: instruction.mode, copyOffset: 0, copyComplete: false };
  if (previous === undefined) return { disk: fresh, resetMap: true };
  if (previous.epoch !== epoch) return { disk: fresh, resetMap: true, note: `new replication epoch ${epoch} (was ${previous.epoch})` };
  if (instruction.nextSequence < previous.nextSequence) {
    const doubt = `the server expects sequence ${instruction.nextSequence} but the journal is at ${previous.nextSequence}: acknowledged batches were lost, sending the whole disk again`;
    return { disk: { ...fresh, doubt }, resetMap: true, doubt };
  }
  const disk: DiskJournal = { ...previous, nextSequence: instruction.nextSequence, mode: instruction.mode };
  const note = instruction.nextSequence > previous.nextSequence
    ? `the server holds batches up to ${instruction.nextSequence - 1} that the journal missed (stopped after an ack): skipping ahead`
    : undefined;
  if (restartsCopy(previous, instruction)) {
    return { disk: { ...disk, copyOffset: 0, copyComplete: false }, resetMap: true, note: `${instruction.mode} requested: reading the whole disk again` };
  }
  return { disk, resetMap: false, ...(note ? { note } : {}) };
}

/** A resync, or an initial copy the server restarted after delta replication, starts from zero. */
function restartsCopy(previous: DiskJournal, instruction: DiskInstruction): boolean {
  if (instruction.mode === "Resync") return previous.mode !== "Resync";
  return instruction.mode === "Initial" && previous.mode === "Delta";
}

export function copying(disk: DiskJournal): boolean {
  return (disk.mode === "Initial" || disk.mode === "Resync") && !disk.copyComplete;
}
