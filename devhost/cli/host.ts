// `npm run host -- --app DIR [--port N] [--data DIR]`: serves any Functions app folder.
import path from "node:path";
import { parseArgs, portArg, single } from "./args";
import { fail, stopOnSignals } from "./lifecycle";
import { serveApp } from "./serve";

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const appDir = path.resolve(single(args, "app") ?? fail("Usage: npm run host -- --app DIR [--port N] [--data DIR]"));
  const data = single(args, "data");
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
  stopOnSignals(stop);
}

main().catch(fail);
