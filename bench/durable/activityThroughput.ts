// Activities/s through the local host's durable engine: 200 sequential activities and a
// fan-out of 200, against the rate of single table inserts into the same Azurite (every
// sequential step needs at least one durable write, so that is the storage ceiling here).
import { randomBytes } from "node:crypto";
import path from "node:path";
import { TableClient } from "@azure/data-tables";
import type { Bench, BenchContext } from "../support/bench";
import { startNodeChild } from "../support/childProcess";
import { report } from "../support/report";

const distRoot = path.resolve(__dirname, "../..");
const appDir = path.resolve(distRoot, "../tests/fixtures/durable-app");

async function tableInsertsPerSecond(storage: string, count = 400): Promise<number> {
  const table = TableClient.fromConnectionString(storage, `bench${randomBytes(4).toString("hex")}`, {
    allowInsecureConnection: true,
  });
  await table.createTable();
  const started = performance.now();
  for (let i = 0; i < count; i++) await table.createEntity({ partitionKey: "p", rowKey: String(i), value: i });
  const perSecond = count / ((performance.now() - started) / 1000);
  await table.deleteTable();
  return perSecond;
}

async function call(
  origin: string,
  op: string,
  body: Record<string, unknown>,
): Promise<{ result?: unknown; error?: string }> {
  const response = await fetch(`${origin}/api/client/${op}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
  return (await response.json()) as { result?: unknown; error?: string };
}

/** Starts an orchestration and returns activities/s from start to completion. */
async function activitiesPerSecond(origin: string, name: string, count: number): Promise<number> {
  const started = performance.now();
  const instanceId = (await call(origin, "start", { name, input: count })).result as string;
  for (;;) {
    const status = (await call(origin, "status", { instanceId })).result as { runtimeStatus: string };
    if (status.runtimeStatus === "Completed") return count / ((performance.now() - started) / 1000);
    if (!["Pending", "Running"].includes(status.runtimeStatus))
      throw new Error(`${name} ended ${status.runtimeStatus}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const activityThroughput: Bench = {
  name: "durable/activityThroughput",
  async run(context: BenchContext) {
    const storage = await context.storage();
    const baseline = { name: "Azurite single table inserts", value: await tableInsertsPerSecond(storage) };
    report({ name: "Azurite single table inserts (baseline)", value: baseline.value, unit: "inserts/s" });
    const env = { ...process.env, AzureWebJobsStorage: storage, DURABLE_HUB: `Bench${randomBytes(4).toString("hex")}` };
    const host = await startNodeChild(
      path.join(distRoot, "devhost/cli/host.js"),
      ["--app", appDir, "--port", "0"],
      env,
      /Serving .* at (http:\/\/\S+)/,
    );
    try {
      const origin = host.ready[1];
      await activitiesPerSecond(origin, "sequence", 10);
      report({
        name: "200 sequential activities",
        value: await activitiesPerSecond(origin, "sequence", 200),
        unit: "activities/s",
        baseline,
      });
      report({
        name: "fan-out of 200 activities",
        value: await activitiesPerSecond(origin, "fanOut", 200),
        unit: "activities/s",
        baseline,
      });
    } finally {
      await host.stop();
    }
  },
};
