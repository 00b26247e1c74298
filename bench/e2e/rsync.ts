/** The delta baseline: `rsync --inplace --no-whole-file` between two local copies. */
import { execFileSync } from "node:child_process";

export function rsyncInstalled(): boolean {
  try {
    execFileSync("rsync", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    console.log("rsync is missing: the delta baseline needs `apt-get install rsync`; ratios against it are skipped.");
    return false;
  }
}

/** Seconds of one rsync run; --ignore-times because the copies may share size and mtime second. */
export function rsyncSeconds(source: string, target: string, extra: string[] = []): number {
  const started = process.hrtime.bigint();
  execFileSync("rsync", ["--inplace", "--no-whole-file", "--ignore-times", ...extra, source, target]);
  return Number(process.hrtime.bigint() - started) / 1e9;
}
