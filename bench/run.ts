// `npm run bench [-- filter]`: runs each benchmark below in turn and prints lines of
// `name: value unit (ratio× baseline)`, baselines measured in the same run on the same machine.
//
// To add one: write bench/<area>/<name>.ts exporting a `Bench` (bench/support/bench.ts) that
// prints with `report` (bench/support/report.ts), and add it to `benches`. Children it starts
// (hosts, servers) come from dist/, so build first (npm run bench does).
import { startAzurite, type EmbeddedAzurite } from "../devhost/azurite/embedded";
import type { Bench, BenchContext } from "./support/bench";
import { httpThroughput } from "./devhost/httpThroughput";
import { activityThroughput } from "./durable/activityThroughput";
import { batchBench } from "./dataPath/batchBench";
import { compressBench } from "./dataPath/compressBench";
import { digestBench } from "./dataPath/digestBench";
import { envelopeBench } from "./dataPath/envelopeBench";
import { scanBench } from "./dataPath/scanBench";
import { materializeBench } from "./target/materializeBench";
import { initialReplicationBench } from "./replication/initialReplication";
import { deltaReplicationBench } from "./replication/deltaReplication";
import { hostIngestBench } from "./replication/hostIngest";
import { sustainedChurnBench } from "./replication/sustainedChurn";
import { dataPathFloorBench } from "./replication/dataPathFloor";
import { migrateBench } from "./failover/migrateBench";
import { cliStartupBench } from "./cli/startup";
import { fleetBench } from "./fleet/fleetBench";

// sparseScanBench (100 GiB, minutes) and parallelScanBench (a rejected design) run alone.
const benches: Bench[] = [
  httpThroughput,
  activityThroughput,
  digestBench,
  compressBench,
  batchBench,
  envelopeBench,
  scanBench,
  materializeBench,
  hostIngestBench,
  dataPathFloorBench,
  initialReplicationBench,
  deltaReplicationBench,
  sustainedChurnBench,
  migrateBench,
  cliStartupBench,
  fleetBench,
];

function lazyStorage(): { context: BenchContext; stop(): Promise<void> } {
  let azurite: Promise<EmbeddedAzurite> | undefined;
  return {
    context: {
      storage: async () => (await (azurite ??= startAzurite())).connectionString,
    },
    stop: async () => {
      if (azurite) await (await azurite).stop();
    },
  };
}

async function main(): Promise<void> {
  const filter = process.argv[2] ?? "";
  const selected = benches.filter((b) => b.name.includes(filter));
  if (selected.length === 0)
    throw new Error(`No bench matches "${filter}"; there are: ${benches.map((b) => b.name).join(", ")}.`);
  const storage = lazyStorage();
  try {
    for (const bench of selected) {
      console.log(`# ${bench.name}`);
      await bench.run(storage.context);
    }
  } finally {
    await storage.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
