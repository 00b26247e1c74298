/**
 * What `agent status` reports, from the state dir alone: the registration, the journal and the
 * spool folder's listing. It never reads a disk, a digest map or the network, so it answers at
 * once whatever the disks' size and whether or not the server is up.
 */
import fs from "node:fs";
import path from "node:path";
import { readJournal, type DiskJournal, type Journal } from "../run/journal";
import type { AgentDisk, AgentState } from "../state";

export interface DiskStatus {
  diskId: string;
  path: string;
  sizeBytes: number;
  /** `not started`, `initial copy`, `resync` or `replicating`. */
  state: string;
  /** Bytes of the initial copy (or resync) the server holds; the disk's size once it is complete. */
  copiedBytes: number;
  lastAcknowledgedSequence?: number;
  lastAcknowledgedAt?: string;
  /** Bytes still to copy plus batches spooled and not yet acknowledged; a delta's changes count once scanned. */
  backlogBytes: number;
  doubt?: string;
  doubtAt?: string;
}

export interface StatusReport {
  machineId: string;
  hostname: string;
  server: string;
  registeredAt: string;
  /** Why the journal could not be read; `missing` before the first `run`. */
  journalProblem?: string;
  disks: DiskStatus[];
  lastCycle?: Journal["lastCycle"];
  lastError?: Journal["lastError"];
  finalSync?: Journal["finalSync"];
}

export function statusReport(stateDir: string, state: AgentState): StatusReport {
  const { journal, problem } = readJournal(stateDir);
  const spooled = spooledBytes(stateDir);
  return {
    machineId: state.machineId,
    hostname: state.hostname,
    server: state.server,
    registeredAt: state.registeredAt,
    ...(problem ? { journalProblem: problem } : {}),
    disks: state.disks.map((disk) => diskStatus(disk, journal.disks[disk.id], spooled.get(disk.id) ?? 0)),
    ...(journal.lastCycle ? { lastCycle: journal.lastCycle } : {}),
    ...(journal.lastError ? { lastError: journal.lastError } : {}),
    ...(journal.finalSync ? { finalSync: journal.finalSync } : {}),
  };
}

function diskStatus(disk: AgentDisk, entry: DiskJournal | undefined, spooled: number): DiskStatus {
  const base = { diskId: disk.id, path: disk.path, sizeBytes: disk.sizeBytes };
  if (!entry) return { ...base, state: "not started", copiedBytes: 0, backlogBytes: disk.sizeBytes + spooled };
  const copying = entry.mode !== "Delta" && !entry.copyComplete;
  const copiedBytes = copying ? Math.min(entry.copyOffset, disk.sizeBytes) : disk.sizeBytes;
  return {
    ...base,
    state: copying ? (entry.mode === "Resync" ? "resync" : "initial copy") : "replicating",
    copiedBytes,
    ...(entry.lastAck
      ? { lastAcknowledgedSequence: entry.lastAck.sequence, lastAcknowledgedAt: entry.lastAck.at }
      : {}),
    backlogBytes: disk.sizeBytes - copiedBytes + spooled,
    ...(entry.doubt ? { doubt: entry.doubt } : {}),
    ...(entry.doubtAt ? { doubtAt: entry.doubtAt } : {}),
  };
}

/** Bytes of spooled batches per disk (`spool/<diskId>-<sequence>.batch`), from the folder's listing. */
function spooledBytes(stateDir: string): Map<string, number> {
  const totals = new Map<string, number>();
  const dir = path.join(stateDir, "spool");
  if (!fs.existsSync(dir)) return totals;
  for (const name of fs.readdirSync(dir)) {
    const m = /^(.+)-\d+\.batch$/.exec(name);
    if (!m) continue;
    const size = fs.statSync(path.join(dir, name), { throwIfNoEntry: false })?.size ?? 0;
    totals.set(m[1]!, (totals.get(m[1]!) ?? 0) + size);
  }
  return totals;
}
