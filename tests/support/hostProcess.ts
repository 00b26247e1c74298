import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";

export const repoRoot = path.resolve(__dirname, "../..");

export interface HostProcess {
  origin: string;
  masterKey: string;
  functionKey: string;
  child: ChildProcess;
  /** Everything the host printed so far. */
  output(): string;
  /** Waits until the output matches. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface HostProcessOptions {
  appDir: string;
  storage: string;
  env?: Record<string, string>;
  port?: number;
}

/** Starts `devhost` as its own process (as `npm run host` does) against the test Azurite. */
export async function startHostProcess(options: HostProcessOptions): Promise<HostProcess> {
  const masterKey = randomBytes(16).toString("hex");
  const functionKey = randomBytes(16).toString("hex");
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, "dist/devhost/cli/host.js"), "--app", options.appDir, "--port", String(options.port ?? 0)],
    {
      env: {
        ...process.env,
        AzureWebJobsStorage: options.storage,
        FUNCTIONS_MASTER_KEY: masterKey,
        FUNCTIONS_DEFAULT_KEY: functionKey,
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let text = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    listeners.forEach((l) => l());
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      resolve();
      listeners.forEach((l) => l());
    }),
  );
  const waitForOutput = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = text.match(pattern);
        if (m) {
          cleanup();
          resolve(m);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          cleanup();
          reject(new Error(`Host exited before ${pattern}:\n${text}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out waiting for ${pattern}:\n${text}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  const origin = (await waitForOutput(/Serving .* at (http:\/\/\S+)/))[1];
  return {
    origin,
    masterKey,
    functionKey,
    child,
    waitForOutput,
    output: () => text,
    async kill(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A hub name unique to one test, so tests sharing one Azurite never see each other's instances. */
export function uniqueHubName(prefix = "Hub"): string {
  return `${prefix}${randomBytes(6).toString("hex")}`;
}
