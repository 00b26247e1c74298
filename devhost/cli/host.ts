// `npm run host -- --app DIR [--port N] [--data DIR]`: serves any Functions app folder.
import path from "node:path";
import { applyLocalSettings } from "../app/loadApp";
import { startHost } from "../host";
import { parseArgs, portArg, single } from "./args";
import { fail, stopOnSignals } from "./lifecycle";
import { preferredOrAny } from "./ports";
import { ensureStorage } from "./storage";

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const appDir = path.resolve(single(args, "app") ?? fail("Usage: npm run host -- --app DIR [--port N] [--data DIR]"));
  applyLocalSettings(appDir, process.env);
  const data = single(args, "data");
  const azurite = await ensureStorage(process.env, data ? path.resolve(data, "azurite") : undefined);
  // Azurite is a child process: stop it if the app fails to load, or it outlives us.
  const host = await startHost({ appDir, port: portArg(args) ?? (await preferredOrAny(7071)) }).catch(
    async (error: unknown) => {
      await azurite?.stop();
      throw error;
    },
  );
  console.log(
    `\nServing ${appDir} at ${host.origin}\n` +
      `  master key:   ${host.keys.master}\n` +
      `  function key: ${host.keys.function}\n`,
  );
  stopOnSignals(async () => {
    await host.stop();
    await azurite?.stop();
  });
}

main().catch(fail);
