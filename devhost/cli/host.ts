// `npm run host -- --app DIR [--port N] [--data DIR]`: serves any Functions app folder.
import path from "node:path";
import { log } from "../log";
import { onlyOptions, parseArgs, portArg, single, UsageError, wantsHelp } from "./args";
import { holdDataFolder } from "./dataLock";
import { fail, stopOnSignals } from "./lifecycle";
import { serveApp } from "./serve";

const usage = `Usage: npm run host -- --app DIR [--port N] [--data DIR]

Serves a Functions app folder (its package.json main and host.json) as \`func start\` would: HTTP and
timer triggers and durable orchestrations, with an embedded Azurite unless AzureWebJobsStorage names storage.

Options:
  --app DIR    the app folder (required)
  --port N     the port (default 7071, or a free one when 7071 is taken; 0: any free one)
  --data DIR   keep the embedded Azurite's files under DIR (default: in memory); one host per folder
  --help, -h   print this help and exit
`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) return void process.stdout.write(usage);
  const args = parseArgs(argv);
  onlyOptions(args, ["app", "port", "data"]);
  const app = single(args, "app");
  if (!app) throw new UsageError("--app DIR is required; see --help.");
  const appDir = path.resolve(app);
  const data = single(args, "data");
  const lock = data ? holdDataFolder(path.resolve(data)) : undefined;
  if (lock?.tookOverFrom) log("information", "host", `Took over ${data} from process ${lock.tookOverFrom.pid}`);
  const { host, stop } = await serveApp({
    appDir,
    port: portArg(args),
    storageLocation: data ? path.resolve(data, "azurite") : undefined,
  });
  console.log(
    `\nServing ${appDir} at ${host.origin}\n` +
      `  master key:   ${host.keys.master}\n` +
      `  function key: ${host.keys.function}\n`,
  );
  stopOnSignals(async () => {
    await stop();
    lock?.release();
  });
}

main().catch(fail);
