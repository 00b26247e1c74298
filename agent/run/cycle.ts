/**
 * One replication cycle: reconcile the journal with the server's instructions, open the view
 * the point can be labelled by (cycleView), replicate each disk, then report the cycle so the
 * server can make a recovery point of exactly the acknowledged sequences.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { AgentState } from "../state";
import type { AgentApi } from "./agentApi";
import type { BatchCaps } from "./batchSpool";
import { openCycleView, type CycleView, type FreezeHooks } from "./cycleView";
import { replicateDisk } from "./diskCycle";
import type { PassFigures } from "./diskPass";
import type { JournalStore } from "./journal";
import { mib, speed, type Logger } from "./log";
import type { Progress } from "./progress";
import type { CycleRequest, Instructions, PointType } from "./protocol";
import { copying, reconcileDisk } from "./reconcile";

export interface CycleDeps {
  api: AgentApi;
  state: AgentState;
  stateDir: string;
  journal: JournalStore;
  progress: Progress;
  caps: BatchCaps;
  log: Logger;
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

export async function runCycle(deps: CycleDeps, instructions: Instructions, final: boolean, signal: AbortSignal): Promise<CycleResult> {
  const { itemId, epoch } = instructions;
  if (!itemId || epoch === undefined) throw new Error(`${instructions.action} came without an item id and epoch.`);
  const disks = reconcileAll(deps, instructions, epoch);
  const copyingBefore = disks.some((disk) => copying(deps.journal.disk(disk.diskId) ?? never()));
  deps.progress.setBacklog(() => copyBacklog(deps, disks));
  const view = await openCycleView({
    disks, live: copyingBefore, hooks: hooksOf(deps.state), wantApp: wantsAppConsistent(deps, instructions),
    quiesced: final && deps.journal.value.finalSync?.shutdownOk === true,
    snapshotDir: path.join(deps.stateDir, "snapshots"), log: deps.log,
  });
  const started = performance.now();
  const totals: PassFigures = { batches: 0, dataBytes: 0, wireBytes: 0 };
  try {
    for (const disk of disks) addFigures(totals, await replicateDisk(passContext(deps, instructions, view, disk, final, signal), deps.stateDir, view.pathOf(disk.diskId), disk.resetMap));
  } finally {
    await view.release();
  }
  const copyFinished = copyingBefore && disks.every((disk) => !copying(deps.journal.disk(disk.diskId) ?? never()));
  const body = cycleBody(deps, view, disks, copyFinished || stillReportsCopy(deps, instructions), final);
  const recoveryPointId = await deps.api.postCycle(itemId, body, signal);
  recordCycle(deps, body, recoveryPointId);
  const seconds = (performance.now() - started) / 1000;
  deps.log.info(`cycle ${body.cycleId} ${body.type} (${view.how}): ${totals.batches} batches, ${mib(totals.dataBytes)} data, ` +
    `${mib(totals.wireBytes)} on the wire in ${seconds.toFixed(2)} s (${speed(totals.wireBytes, seconds)})${final ? ", final" : ""} -> ${recoveryPointId}`);
  return { type: body.type, recoveryPointId, copyFinished };
}

function reconcileAll(deps: CycleDeps, instructions: Instructions, epoch: number): CycleDisk[] {
  return instructions.disks.map((instruction) => {
    const local = deps.state.disks.find((disk) => disk.id === instruction.diskId);
    if (!local) throw new Error(`The server asks for ${instruction.diskId}, which this agent did not register.`);
    if (local.sizeBytes !== instruction.sizeBytes) deps.log.warn(`${local.id}: the server knows it as ${instruction.sizeBytes} bytes, registered as ${local.sizeBytes}`);
    const outcome = reconcileDisk(deps.journal.disk(instruction.diskId), instruction, epoch);
    if (outcome.doubt) deps.log.warn(`${instruction.diskId}: ${outcome.doubt}`);
    if (outcome.note) deps.log.info(`${instruction.diskId}: ${outcome.note}`);
    deps.journal.update((journal) => { journal.disks[instruction.diskId] = outcome.disk; });
    return { diskId: instruction.diskId, path: local.path, resetMap: outcome.resetMap };
  });
}

function passContext(deps: CycleDeps, instructions: Instructions, view: CycleView, disk: CycleDisk, final: boolean, signal: AbortSignal) {
  const consistent = view.type !== "Inconsistent";
  return {
    api: deps.api, itemId: instructions.itemId ?? never(), epoch: instructions.epoch ?? never(), diskId: disk.diskId,
    journal: deps.journal, spoolDir: path.join(deps.stateDir, "spool"), caps: deps.caps, progress: deps.progress, log: deps.log, signal,
    lastFlags: { final, crashConsistent: consistent, appConsistent: view.type === "ApplicationConsistent" }, forceLastBatch: final,
  };
}

/** The server still counts a disk as copying although the agent finished it (its cycle post was lost). */
function stillReportsCopy(deps: CycleDeps, instructions: Instructions): boolean {
  const copyModes = instructions.disks.filter((disk) => disk.mode !== "Delta");
  return copyModes.length > 0 && copyModes.every((disk) => deps.journal.disk(disk.diskId)?.copyComplete === true);
}

function cycleBody(deps: CycleDeps, view: CycleView, disks: CycleDisk[], copyComplete: boolean, final: boolean): CycleRequest {
  return {
    cycleId: `cy_${randomBytes(9).toString("hex")}`, sourceTime: view.sourceTime, type: view.type,
    disks: disks.map((disk) => ({ diskId: disk.diskId, sequence: (deps.journal.disk(disk.diskId)?.nextSequence ?? 0) - 1 })),
    ...(copyComplete ? { initialCopyComplete: true } : {}), ...(final ? { final: true } : {}),
  };
}

function recordCycle(deps: CycleDeps, body: CycleRequest, recoveryPointId: string): void {
  deps.journal.update((journal) => {
    journal.lastCycle = { cycleId: body.cycleId, recoveryPointId, type: body.type, sourceTime: body.sourceTime, at: new Date().toISOString() };
    if (body.type === "ApplicationConsistent") journal.lastAppConsistentAt = body.sourceTime;
    delete journal.lastError;
  });
}

function hooksOf(state: AgentState): FreezeHooks | undefined {
  return state.freezeCommand && state.thawCommand ? { freeze: state.freezeCommand, thaw: state.thawCommand } : undefined;
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
