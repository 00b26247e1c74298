import { spawn, type ChildProcess } from "node:child_process";

export interface RunningChild {
  child: ChildProcess;
  /** The first match of the readiness pattern in the child's output. */
  ready: RegExpMatchArray;
  stop(): Promise<void>;
}

/**
 * Starts `node <script> ...args` and waits until its output matches `ready`. Output after
 * that is drained and dropped, so a chatty child never blocks on a full pipe.
 */
export function startNodeChild(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = 30_000,
): Promise<RunningChild> {
  const child = spawn(process.execPath, [...profileArgs(env), script, ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${script} not ready after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(ready);
      if (!match) return;
      clearTimeout(timer);
      output = "";
      child.stdout?.off("data", onData).resume();
      child.stderr?.off("data", onData).resume();
      resolve({ child, ready: match, stop });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before it was ready:\n${output}`));
    });
  });
}

/** FERRY_BENCH_CPU_PROF=DIR: children write V8 CPU profiles there (NODE_OPTIONS refuses --cpu-prof). */
export function profileArgs(env: NodeJS.ProcessEnv): string[] {
  const dir = env.FERRY_BENCH_CPU_PROF;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
}
