import fs from "node:fs";
import path from "node:path";
import { processAlive } from "./processAlive";

/** Who holds a data folder: the process and since when. */
export interface LockHolder {
  pid: number;
  since: string;
}

export class DataFolderInUseError extends Error {
  constructor(
    readonly folder: string,
    readonly holder: LockHolder,
    lockFile: string,
  ) {
    super(
      `The data folder ${folder} is in use by process ${holder.pid} (since ${holder.since}): ` +
        "stop that process first, or pass another --data folder. " +
        `(If process ${holder.pid} is not a host, delete ${lockFile}.)`,
    );
  }
}

export interface DataFolderLock {
  /** The dead process whose lock this one took over, if any. */
  tookOverFrom?: LockHolder;
  release(): void;
}

export const lockFileName = "host.lock";

/**
 * Makes this process the only one using `folder` (two Azurites on one set of files corrupt them):
 * a lock file naming this process, created whole or not at all. A lock left by a process that is
 * gone is taken over; a live holder is refused with its pid. Released on stop and on exit.
 */
export function holdDataFolder(folder: string): DataFolderLock {
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, lockFileName);
  const mine = JSON.stringify({ pid: process.pid, since: new Date().toISOString() });
  let tookOverFrom: LockHolder | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createWhole(file, mine)) return heldLock(file, mine, tookOverFrom);
    const raw = readOrUndefined(file);
    if (raw === undefined) continue;
    const holder = parseHolder(raw);
    if (processAlive(holder.pid)) throw new DataFolderInUseError(folder, holder, file);
    if (removeIfUnchanged(file, raw)) tookOverFrom = holder;
  }
  throw new Error(`Could not take ${file}: other processes took it at the same moment.`);
}

function heldLock(file: string, mine: string, tookOverFrom: LockHolder | undefined): DataFolderLock {
  const release = () => {
    if (readOrUndefined(file) === mine) fs.rmSync(file, { force: true });
    process.off("exit", release);
  };
  process.on("exit", release);
  return { tookOverFrom, release };
}

/** Writes a temporary file and links it into place: readers never see a half-written lock. */
function createWhole(file: string, content: string): boolean {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content);
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * Removes a stale lock unless another process replaced it meanwhile: moved aside first (atomic),
 * then looked at; a lock that is not the stale one read before is put back.
 */
function removeIfUnchanged(file: string, stale: string): boolean {
  const aside = `${file}.${process.pid}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  const moved = readOrUndefined(aside);
  if (moved !== stale) createWhole(file, moved ?? "");
  fs.rmSync(aside, { force: true });
  return moved === stale;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** A lock that does not parse names no live process: it is stale. */
function parseHolder(raw: string): LockHolder {
  try {
    const value = JSON.parse(raw) as Partial<LockHolder>;
    return { pid: Number(value.pid), since: String(value.since) };
  } catch {
    return { pid: 0, since: "unknown" };
  }
}
