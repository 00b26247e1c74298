/**
 * One replication cycle: reconcile the journal with the server's instructions, open the view
 * the point can be labelled by (cycleView), replicate each disk, then report the cycle so the
 * server can make a recovery point of exactly the acknowledged sequences.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import type { AgentState } from "../state";
import type { AgentApi } from "./agentApi";
import { openCycleView, type CycleView, type FreezeHooks } from "./cycleView";
import type { DoubtLedger } from "./doubts";
import { mapPath, replicateDisk } from "./diskCycle";
import type { PassFigures } from "./diskPass";
import type { JournalStore } from "./journal";
import { mib, speed, type Logger } from "./log";
import type { Progress } from "./progress";
import type { CycleRequest, Instructions, PointType } from "./protocol";
import { copying, reconcileDisk } from "./reconcile";
import type { SpaceBudget } from "./spaceBudget";

export interface CycleDeps {
  api: AgentApi;
  state: AgentState;
  stateDir: string;
  journal: JournalStore;
  progress: Progress;
  /** The batch bound the state directory has room for (docs/agent-run.md, "State directory space"). */
  space: SpaceBudget;
  log: Logger;
  doubts: DoubtLedger;
}

export interface CycleResult {
  type: PointType;
  recoveryPointId: string;
  /** The initial copy (or resync) of every disk finished in this cycle. */
  copyFinished: boolean;
}

interface CycleDisk {
  diskId: string;
  path: string;
  resetMap: boolean;
}

export async function runCycle(
  deps: CycleDeps,
  instructions: Instructions,
  final: boolean,
  signal: AbortSignal,
): Promise<CycleResult> {
  const { itemId, epoch } = instructions;
  if (!itemId || epoch === undefined) throw new Error(`${instructions.action} came without an item id and epoch.`);
  const disks = reconcileAll(deps, instructions, epoch);
  // A final sync sends everything it must anyway; any other cycle first lets the server hear of a doubt.
  if (!final) deps.doubts.checkReported(instructions);
  const copyingBefore = disks.some((disk) => copying(deps.journal.disk(disk.diskId) ?? never()));
  deps.progress.setBacklog(() => copyBacklog(deps, disks));
  const view = await openCycleView({
    disks,
    live: copyingBefore,
    hooks: hooksOf(deps.state),
    wantApp: wantsAppConsistent(deps, instructions),
    quiesced: final && deps.journal.value.finalSync?.shutdownOk === true,
    snapshotDir: path.join(deps.stateDir, "snapshots"),
    log: deps.log,
  });
  const started = performance.now();
  const totals: PassFigures = { batches: 0, dataBytes: 0, wireBytes: 0 };
  try {
    for (const disk of disks)
      addFigures(
        totals,
        await replicateDisk(
          passContext(deps, instructions, view, disk, final, signal),
          deps.stateDir,
          view.pathOf(disk.diskId),
          disk.resetMap,
        ),
      );
  } finally {
    await view.release();
  }
  const copyFinished = copyingBefore && disks.every((disk) => !copying(deps.journal.disk(disk.diskId) ?? never()));
  const body = cycleBody(
    deps,
    { view, disks, final, resyncId: instructions.resyncId },
    copyFinished || stillReportsCopy(deps, instructions),
  );
  const recoveryPointId = await deps.api.postCycle(itemId, body, signal);
  recordCycle(deps, body, recoveryPointId);
  const seconds = (performance.now() - started) / 1000;
  deps.log.info(
    `cycle ${body.cycleId} ${body.type} (${view.how}): ${totals.batches} batches, ${mib(totals.dataBytes)} data, ` +
      `${mib(totals.wireBytes)} on the wire in ${seconds.toFixed(2)} s (${speed(totals.wireBytes, seconds)})` +
      `${final ? ", final" : ""} -> ${recoveryPointId}`,
  );
  return { type: body.type, recoveryPointId, copyFinished };
}

function reconcileAll(deps: CycleDeps, instructions: Instructions, epoch: number): CycleDisk[] {
  return instructions.disks.map((instruction) => {
    const local = deps.state.disks.find((disk) => disk.id === instruction.diskId);
    if (!local) throw new Error(`The server asks for ${instruction.diskId}, which this agent did not register.`);
    if (local.sizeBytes !== instruction.sizeBytes)
      deps.log.warn(
        `${local.id}: the server knows it as ${instruction.sizeBytes} bytes, registered as ${local.sizeBytes}`,
      );
    const outcome = reconcileDisk(deps.journal.disk(instruction.diskId), instruction, epoch, {
      resyncId: instructions.resyncId,
    });
    if (outcome.doubt) deps.log.warn(`${instruction.diskId}: ${outcome.doubt}`);
    if (outcome.note) deps.log.info(`${instruction.diskId}: ${outcome.note}`);
    // Dropped now, before the journal says so: a cycle that stops here must not find the old map next time.
    if (outcome.resetMap) rmSync(mapPath(deps.stateDir, instruction.diskId), { force: true });
    deps.journal.update((journal) => {
      journal.disks[instruction.diskId] = outcome.disk;
    });
    return { diskId: instruction.diskId, path: local.path, resetMap: outcome.resetMap };
  });
}

function passContext(
  deps: CycleDeps,
  instructions: Instructions,
  view: CycleView,
  disk: CycleDisk,
  final: boolean,
  signal: AbortSignal,
) {
  const consistent = view.type !== "Inconsistent";
  return {
    api: deps.api,
    itemId: instructions.itemId ?? never(),
    epoch: instructions.epoch ?? never(),
    diskId: disk.diskId,
    journal: deps.journal,
    spoolDir: path.join(deps.stateDir, "spool"),
    space: deps.space,
    progress: deps.progress,
    log: deps.log,
    signal,
    lastFlags: { final, crashConsistent: consistent, appConsistent: view.type === "ApplicationConsistent" },
    forceLastBatch: final,
  };
}

/** The server still counts a disk as copying although the agent finished it (its cycle post was lost). */
function stillReportsCopy(deps: CycleDeps, instructions: Instructions): boolean {
  const copyModes = instructions.disks.filter((disk) => disk.mode !== "Delta");
  return copyModes.length > 0 && copyModes.every((disk) => deps.journal.disk(disk.diskId)?.copyComplete === true);
}

interface CycleEnd {
  view: CycleView;
  disks: CycleDisk[];
  final: boolean;
  resyncId?: string;
}

function cycleBody(deps: CycleDeps, end: CycleEnd, copyComplete: boolean): CycleRequest {
  return {
    cycleId: `cy_${randomBytes(9).toString("hex")}`,
    sourceTime: end.view.sourceTime,
    type: end.view.type,
    disks: end.disks.map((disk) => ({
      diskId: disk.diskId,
      sequence: (deps.journal.disk(disk.diskId)?.nextSequence ?? 0) - 1,
    })),
    // A completed re-read names its resync, so it can only end that one.
    ...(copyComplete ? { initialCopyComplete: true, ...(end.resyncId ? { resyncId: end.resyncId } : {}) } : {}),
    ...(end.final ? { final: true } : {}),
  };
}

function recordCycle(deps: CycleDeps, body: CycleRequest, recoveryPointId: string): void {
  deps.journal.update((journal) => {
    journal.lastCycle = {
      cycleId: body.cycleId,
      recoveryPointId,
      type: body.type,
      sourceTime: body.sourceTime,
      at: new Date().toISOString(),
    };
    if (body.type === "ApplicationConsistent") journal.lastAppConsistentAt = body.sourceTime;
    delete journal.lastError;
  });
}

function hooksOf(state: AgentState): FreezeHooks | undefined {
  return state.freezeCommand && state.thawCommand
    ? { freeze: state.freezeCommand, thaw: state.thawCommand }
    : undefined;
}

function wantsAppConsistent(deps: CycleDeps, instructions: Instructions): boolean {
  const interval = instructions.appConsistentIntervalSeconds * 1000;
  if (!hooksOf(deps.state) || interval <= 0) return false;
  const last = deps.journal.value.lastAppConsistentAt;
  return last === undefined || Date.now() - Date.parse(last) >= interval;
}

/** Bytes of initial copy still ahead; a delta's size is unknown until it is scanned. */
function copyBacklog(deps: CycleDeps, disks: CycleDisk[]): number {
  return disks.reduce((sum, disk) => {
    const entry = deps.journal.disk(disk.diskId);
    const size = deps.state.disks.find((local) => local.id === disk.diskId)?.sizeBytes ?? 0;
    return entry && copying(entry) ? sum + Math.max(0, size - entry.copyOffset) : sum;
  }, 0);
}

function addFigures(totals: PassFigures, pass: PassFigures): void {
  totals.batches += pass.batches;
  totals.dataBytes += pass.dataBytes;
  totals.wireBytes += pass.wireBytes;
}

function never(): never {
  throw new Error("Internal error: a cycle lost track of its disk or item.");
}
