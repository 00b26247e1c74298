/**
 * Reconciles one disk's journal entry with the server's instruction at a cycle's start. The
 * server's sequence is the truth: higher means it holds batches whose ack the agent never
 * recorded (skip ahead); lower means acknowledged batches were lost, so the digest map no
 * longer describes the replica and everything is sent again. Either loss is a doubt, reported
 * to the server (heartbeat `resyncNeeded`) until a resync's full pass settles it.
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

export interface ServerView {
  /** The running resync's id, when the server runs one. */
  resyncId?: string;
  now?: Date;
}

export function reconcileDisk(
  previous: DiskJournal | undefined,
  instruction: DiskInstruction,
  epoch: number,
  server: ServerView = {},
): Reconciled {
  const at = (server.now ?? new Date()).toISOString();
  const fresh: DiskJournal = {
    epoch,
    nextSequence: instruction.nextSequence,
    mode: instruction.mode,
    copyOffset: 0,
    copyComplete: false,
    ...resyncOf(instruction, server),
  };
  if (previous === undefined) {
    // Past its initial copy the server holds this disk's data: an agent without a journal lost track of it.
    if (instruction.mode === "Initial") return { disk: fresh, resetMap: true };
    const doubt =
      "the agent has no journal entry for this disk (state lost or unreadable): sending the whole disk again";
    return { disk: { ...fresh, doubt, doubtAt: at }, resetMap: true, doubt };
  }
  if (previous.epoch !== epoch)
    return { disk: fresh, resetMap: true, note: `new replication epoch ${epoch} (was ${previous.epoch})` };
  if (instruction.nextSequence < previous.nextSequence) {
    const doubt =
      `the server expects sequence ${instruction.nextSequence} but the journal is at ${previous.nextSequence}: ` +
      "acknowledged batches were lost, sending the whole disk again";
    return { disk: { ...fresh, doubt, doubtAt: at }, resetMap: true, doubt };
  }
  const disk: DiskJournal = { ...previous, nextSequence: instruction.nextSequence, mode: instruction.mode };
  const note =
    instruction.nextSequence > previous.nextSequence
      ? `the server holds batches up to ${instruction.nextSequence - 1} that the journal missed ` +
        "(stopped after an ack): skipping ahead"
      : undefined;
  if (restartsCopy(previous, instruction, server.resyncId)) {
    const restarted = { ...disk, copyOffset: 0, copyComplete: false, ...resyncOf(instruction, server) };
    return { disk: restarted, resetMap: true, note: `${instruction.mode} requested: reading the whole disk again` };
  }
  return { disk, resetMap: false, ...(note ? { note } : {}) };
}

function resyncOf(instruction: DiskInstruction, server: ServerView): { resyncId?: string } {
  return instruction.mode === "Resync" && server.resyncId !== undefined ? { resyncId: server.resyncId } : {};
}

/**
 * A resync (a new one: another id), or an initial copy the server restarted after delta
 * replication, starts from zero.
 */
function restartsCopy(previous: DiskJournal, instruction: DiskInstruction, resyncId: string | undefined): boolean {
  if (instruction.mode === "Resync")
    return previous.mode !== "Resync" || (resyncId !== undefined && previous.resyncId !== resyncId);
  return instruction.mode === "Initial" && previous.mode === "Delta";
}

export function copying(disk: DiskJournal): boolean {
  return (disk.mode === "Initial" || disk.mode === "Resync") && !disk.copyComplete;
}
