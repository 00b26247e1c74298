// `npm start [-- --port 7071 --data .data]`: Ferry on one machine, on the local host with embedded Azurite.
import fs from "node:fs";
import path from "node:path";
import { applyLocalSettings, fail, parseArgs, portArg, serveApp, single, stopOnSignals } from "../devhost";
import { operatorKey } from "./operatorKey";
import { welcome } from "./welcome";

const repoRoot = path.resolve(__dirname, "../..");

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dataDir = path.resolve(single(args, "data") ?? path.join(repoRoot, ".data"));
  fs.mkdirSync(dataDir, { recursive: true });
  // local.settings.json first: a key or hub name set there wins over the defaults below.
  applyLocalSettings(repoRoot, process.env);
  process.env.FERRY_OPERATOR_KEY = operatorKey(process.env, dataDir);
  process.env.FERRY_HUB_NAME ??= "ferry";
  const { host, stop } = await serveApp({
    appDir: repoRoot,
    port: portArg(args),
    storageLocation: path.join(dataDir, "azurite"),
  });
  console.log(welcome(host.origin, process.env.FERRY_OPERATOR_KEY, dataDir));
  stopOnSignals(stop);
}

main().catch(fail);
