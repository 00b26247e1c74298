/** A work folder and a stack for one end-to-end run, both removed afterwards, peak RSS reported. */
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { highWaterMark } from "../support/peakRss";
import { report } from "../support/report";
import { startFerryStack, type FerryStack } from "./ferryStack";
import type { ReplicatedMachine } from "./replicatedMachine";

export interface RunScope {
  workDir: string;
  stack: FerryStack;
  machines: ReplicatedMachine[];
}

const MiB = 1024 * 1024;

export async function withStack<T>(
  label: string,
  cycleIntervalSeconds: number,
  run: (scope: RunScope) => Promise<T>,
  options: { azuriteOnDisk?: boolean } = {},
): Promise<T> {
  const workDir = await mkdtemp(path.join(process.env.BENCH_DIR ?? os.tmpdir(), "ferry-e2e-"));
  let stack: FerryStack | undefined;
  const machines: ReplicatedMachine[] = [];
  try {
    stack = await startFerryStack({ workDir, cycleIntervalSeconds, ...options });
    const result = await run({ workDir, stack, machines });
    for (const machine of machines) await machine.stop();
    for (const [i, machine] of machines.entries()) {
      report({
        name: `${label}: agent${machines.length > 1 ? ` ${i + 1}` : ""} peak RSS (VmHWM)`,
        value: machine.agentRss.read() / MiB,
        unit: "MiB",
      });
    }
    report({ name: `${label}: host peak RSS (VmHWM)`, value: stack.hostRss.read() / MiB, unit: "MiB" });
    report({
      name: `${label}: Azurite peak RSS (VmHWM)`,
      value: highWaterMark(stack.azurite.process.pid) / MiB,
      unit: "MiB",
    });
    if (options.azuriteOnDisk)
      report({
        name: `${label}: Azurite data on disk`,
        value: (await treeBytes(path.join(workDir, "azurite"))) / MiB,
        unit: "MiB",
      });
    return result;
  } finally {
    for (const machine of machines) await machine.stop();
    await stack?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Bytes in the files under `dir`. */
async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}
