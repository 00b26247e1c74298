// `npm run demo`: the whole tutorial on a generated disk image, against an in-memory Azurite
// and the local host; exits non-zero if any disk differs from its source.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAzurite } from "../devhost/azurite/embedded";
import { walkthrough } from "./walkthrough";

const distRoot = path.resolve(__dirname, "..");
const repoRoot = path.resolve(distRoot, "..");

async function startFerry(storage: string): Promise<{ api: string; key: string; stop: () => void }> {
  const key = randomBytes(24).toString("base64url");
  const child = spawn(
    process.execPath,
    [path.join(distRoot, "devhost/cli/host.js"), "--app", repoRoot, "--port", "0"],
    {
      env: {
        ...process.env,
        AzureWebJobsStorage: storage,
        FERRY_OPERATOR_KEY: key,
        FERRY_HUB_NAME: `demo${randomBytes(4).toString("hex")}`,
        FERRY_CYCLE_INTERVAL_SECONDS: "2",
        FERRY_FINAL_SYNC_TIMEOUT_SECONDS: "120",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const origin = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Serving .* at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", () => reject(new Error(`The host exited:\n${output}`)));
  });
  return { api: `${origin}/api`, key, stop: () => child.kill("SIGTERM") };
}

async function main(): Promise<void> {
  const imageMiB = Number(process.env.FERRY_DEMO_IMAGE_MIB ?? 256);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-demo-"));
  const azurite = await startAzurite();
  const ferry = await startFerry(azurite.connectionString);
  const log = (line: string) => console.log(line);
  try {
    log(`Ferry demo: API ${ferry.api}, work folder ${workDir}`);
    const mismatches = await walkthrough({ api: ferry.api, operatorKey: ferry.key, workDir, distRoot, imageMiB, log });
    log(
      mismatches.length === 0
        ? "\nEvery disk matched its source byte for byte."
        : `\nMISMATCH: ${mismatches.join("; ")}`,
    );
    process.exitCode = mismatches.length === 0 ? 0 : 1;
  } finally {
    ferry.stop();
    await azurite.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
