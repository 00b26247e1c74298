/** Runs the real agent CLI against the sink and samples its peak RSS (VmHWM) from /proc. */
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startSink } from "./sinkServer";

const cli = path.resolve(__dirname, "../../agent/cli.js");

export interface AgentBenchResult {
  seconds: number;
  bodyBytes: number;
  peakRssBytes: number;
}

export function benchDir(): { path: string; remove: () => void } {
  const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), "ferry-agent-bench-"));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Registers the image, runs the agent until the initial copy's cycle, returns its figures. */
export async function replicateOnce(dir: string, image: string, sizeBytes: number): Promise<AgentBenchResult> {
  const sink = await startSink(sizeBytes);
  const stateDir = path.join(dir, "state");
  const passphrase = path.join(dir, "passphrase");
  writeFileSync(passphrase, "bench-passphrase-0123456789");
  // Async: the sink answers from this very process.
  await promisify(execFile)(process.execPath, [
    cli,
    "register",
    "--server",
    sink.url,
    "--passphrase-file",
    passphrase,
    "--state-dir",
    stateDir,
    "--disk",
    image,
    "--hostname",
    "bench",
  ]);
  const child = spawn(process.execPath, [cli, "run", "--state-dir", stateDir], {
    stdio: ["ignore", process.env.BENCH_AGENT_LOG ? "inherit" : "ignore", "inherit"],
    env: { ...process.env, FERRY_AGENT_HEARTBEAT_MS: "1000" },
  });
  let peak = 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, highWaterMark(child.pid));
  }, 200);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await exited;
  clearInterval(sample);
  await sink.close();
  const seconds = ((sink.copiedAt ?? performance.now()) - (sink.firstBatchAt ?? 0)) / 1000;
  return { seconds, bodyBytes: sink.bodyBytes, peakRssBytes: peak };
}

/** VmHWM: the kernel's own peak resident set of the process, so short peaks between samples count too. */
function highWaterMark(pid: number | undefined): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
