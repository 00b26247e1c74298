import { log } from "../log";
import { UsageError } from "./args";
import { processAlive } from "./processAlive";

/**
 * Runs `stop` once on SIGINT, SIGTERM or SIGHUP, then exits. Started by npm (`npm start`, `npm run
 * host`), it also stops when npm is gone: a `kill -9` of npm must not leave the host and its
 * Azurite running. (Without npm it outlives its parent, as `nohup` asks.)
 */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const stopFor = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log("information", "host", `${reason}: stopping`);
    stop().then(
      () => process.exit(0),
      (e: unknown) => {
        log("error", "host", `Stop failed: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stopFor(signal));
  if (process.env.npm_lifecycle_event) whenParentGone((pid) => stopFor(`npm (process ${pid}) is gone`));
}

/** Polls for the parent process: nothing tells a child that its parent died. */
function whenParentGone(onGone: (pid: number) => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (processAlive(parent)) return;
    clearInterval(timer);
    onGone(parent);
  }, 500);
  timer.unref();
}

/** Prints the error's message (no stack: these are the user's to fix) and exits: 2 for a usage error, else 1. */
export function fail(error: unknown): never {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof UsageError ? 2 : 1);
}
