import { readFileSync } from "node:fs";
import { routes } from "../../shared/api/routes";
import { services } from "../../shared/services";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

async function probe(
  check: () => Promise<unknown>,
): Promise<{ reachable: boolean; latencyMs: number; error?: string }> {
  const started = performance.now();
  try {
    await check();
    return { reachable: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      reachable: false,
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.name : "Error",
    };
  }
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** GET /api/health: is storage (and the vault) reachable, and which versions run. */
export const getHealth: HttpHandler = async () => {
  const { tableService, secrets, config } = services();
  const signal = AbortSignal.timeout(5000);
  const [storage, keyVault] = await Promise.all([
    probe(() => tableService.getProperties({ abortSignal: signal })),
    probe(async () => {
      if (!(await secrets.ping({ abortSignal: signal }))) throw new Error("unreachable");
    }),
  ]);
  const healthy = storage.reachable && keyVault.reachable;
  return json(healthy ? 200 : 503, {
    status: healthy ? "Healthy" : "Unhealthy",
    storage,
    keyVault,
    versions: {
      ferry: config.version,
      node: process.versions.node,
      "@azure/functions": packageVersion("@azure/functions"),
      "durable-functions": packageVersion("durable-functions"),
    },
  });
};

register(routes.getHealth, getHealth);
