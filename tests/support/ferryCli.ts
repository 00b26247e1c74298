// The real `ferry` bin (dist/cli/main.js) run as its own process, as a script would run it.
import { execFile, spawn } from "node:child_process";
import path from "node:path";
import type { z } from "zod";
import { repoRoot } from "./hostProcess";

export const ferryBin = path.join(repoRoot, "dist/cli/main.js");

export interface FerryRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A CLI bound to one config folder (its own profiles) and environment. */
export class FerryCli {
  constructor(readonly env: NodeJS.ProcessEnv) {}

  run(args: string[], timeoutMs = 120_000): Promise<FerryRun> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [ferryBin, ...args],
        { env: this.env, timeout: timeoutMs },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  /** Runs a command that must succeed and parses its JSON answer with the API's schema. */
  async json<S extends z.ZodType>(schema: S, args: string[]): Promise<z.infer<S>> {
    const result = await this.run([...args, "-o", "json"]);
    if (result.code !== 0) throw new Error(`ferry ${args.join(" ")} exited ${result.code}:\n${result.stderr}`);
    return schema.parse(JSON.parse(result.stdout));
  }

  /** Starts a command in the background; `done` resolves when it exits. */
  start(args: string[]): { done: Promise<FerryRun>; stderr(): string; signal(name: NodeJS.Signals): void } {
    const child = spawn(process.execPath, [ferryBin, ...args], { env: this.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<FerryRun>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr })),
    );
    return { done, stderr: () => stderr, signal: (name) => child.kill(name) };
  }
}
