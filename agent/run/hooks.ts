/** Runs a user-configured shell command (freeze, thaw, shutdown) with a time limit. */
import { spawn } from "node:child_process";

export interface HookResult {
  ok: boolean;
  detail: string;
}

export function runHook(command: string, env: Record<string, string>, timeoutMs = 120_000): Promise<HookResult> {
  return new Promise((resolve) => {
    const child = spawn("/bin/sh", ["-c", command], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
      timeout: timeoutMs,
    });
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-2000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (error) => resolve({ ok: false, detail: error.message }));
    child.on("close", (code, signal) => {
      const tail = output.trim().split("\n").slice(-3).join(" | ");
      const how = signal ? `killed by ${signal}` : `exit ${code}`;
      resolve({ ok: code === 0, detail: tail ? `${how}: ${tail}` : how });
    });
  });
}
