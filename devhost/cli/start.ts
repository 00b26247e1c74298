// `npm start [-- --port 7071 --data .data]`: embedded Azurite + the local host serving Ferry.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { applyLocalSettings } from "../app/loadApp";
import { startHost } from "../host";
import { parseArgs, portArg, single } from "./args";
import { fail, stopOnSignals } from "./lifecycle";
import { preferredOrAny } from "./ports";
import { ensureStorage } from "./storage";

const repoRoot = path.resolve(__dirname, "../../..");

/** FERRY_OPERATOR_KEY, else the key kept under the data folder, else a new one kept there. */
function operatorKey(dataDir: string): string {
  if (process.env.FERRY_OPERATOR_KEY) return process.env.FERRY_OPERATOR_KEY;
  const file = path.join(dataDir, "operator-key");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const key = randomBytes(32).toString("base64url");
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dataDir = path.resolve(single(args, "data") ?? path.join(repoRoot, ".data"));
  fs.mkdirSync(dataDir, { recursive: true });
  applyLocalSettings(repoRoot, process.env);
  process.env.FERRY_OPERATOR_KEY = operatorKey(dataDir);
  process.env.FERRY_HUB_NAME ??= "ferry";
  const azurite = await ensureStorage(process.env, path.join(dataDir, "azurite"));
  const host = await startHost({ appDir: repoRoot, port: portArg(args) ?? (await preferredOrAny(7071)) });
  const api = `${host.origin}/api`;
  console.log(
    [
      "",
      `Ferry is running at ${api}`,
      `  operator key:  ${process.env.FERRY_OPERATOR_KEY}   (send as 'Authorization: Bearer <key>')`,
      `  health:        ${api}/health`,
      `  API document:  ${api}/openapi.json`,
      `  data:          ${dataDir}`,
      "",
      'Next: create a project, then follow README.md ("A first migration").',
      `  curl -s -X POST ${api}/projects -H "Authorization: Bearer $FERRY_OPERATOR_KEY" \\`,
      `       -H 'content-type: application/json' ` +
        `-d '{"name":"demo","geography":"Europe","targetRegion":"westeurope"}'`,
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
  stopOnSignals(async () => {
    await host.stop();
    await azurite?.stop();
  });
}

main().catch(fail);
