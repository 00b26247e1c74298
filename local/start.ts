// `npm start [-- --port 7071 --data .data]`: Ferry on one machine, on the local host with embedded Azurite.
import path from "node:path";
import {
  applyLocalSettings,
  fail,
  holdDataFolder,
  log,
  onlyOptions,
  parseArgs,
  portArg,
  serveApp,
  single,
  stopOnSignals,
  wantsHelp,
} from "../devhost";
import { operatorKey } from "./operatorKey";
import { startUsage } from "./usage";
import { welcome } from "./welcome";

const repoRoot = path.resolve(__dirname, "../..");

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) return void process.stdout.write(startUsage);
  const args = parseArgs(argv);
  onlyOptions(args, ["port", "data"]);
  const dataDir = path.resolve(single(args, "data") ?? path.join(repoRoot, ".data"));
  const lock = holdDataFolder(dataDir);
  if (lock.tookOverFrom)
    log("information", "host", `Took over ${dataDir} from process ${lock.tookOverFrom.pid}, which is gone`);
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
  stopOnSignals(async () => {
    await stop();
    lock.release();
  });
}

main().catch(fail);
