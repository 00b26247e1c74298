/**
 * One delta cycle end to end: 1% of a replicated 1 GiB random image rewritten in random 4 KiB
 * writes, then the agent's next cycle (detect, send, durable in the cache, recovery point),
 * timed from the agent's own log, against rsync --inplace --no-whole-file between two local
 * copies of the same change; then how long until the point is processed (its batch applied to
 * the replica in the background); and bytes on the wire per changed byte.
 */
import { copyFile } from "node:fs/promises";
import path from "node:path";
import type { Bench } from "../support/bench";
import { report } from "../support/report";
import { changeRandomBlocks } from "../dataPath/benchImage";
import { withStack } from "../e2e/benchRun";
import { GiB, MiB, makeImage } from "../e2e/images";
import { rawScatteredWrites } from "../e2e/rawUpload";
import { processedAt, replicate, replicatingAt } from "../e2e/replicatedMachine";
import { rsyncInstalled, rsyncSeconds } from "../e2e/rsync";

const sizeBytes = Number(process.env.FERRY_BENCH_IMAGE_GIB ?? 1) * GiB;
const cycleIntervalSeconds = 10;

export const deltaReplicationBench: Bench = {
  name: "replication/delta",
  async run() {
    const label = `replication/delta 1% of ${sizeBytes / GiB} GiB in 4 KiB writes`;
    await withStack(label, cycleIntervalSeconds, async (scope) => {
      const image = path.join(scope.workDir, "disk.img");
      const copies = [path.join(scope.workDir, "rsync-default.img"), path.join(scope.workDir, "rsync-4k.img")];
      await makeImage(image, "random", sizeBytes);
      for (const copy of copies) await copyFile(image, copy);
      const machine = await replicate(scope.stack, scope.workDir, "source", image);
      scope.machines.push(machine);
      await replicatingAt(scope.stack, machine);
      // Change right after a cycle ended, so the whole change lands in the next one.
      await machine.nextCycle(() => true);
      const changedAt = Date.now();
      const blocks = await changeRandomBlocks(image, sizeBytes, Math.round(sizeBytes / 4096 / 100));
      const changedBytes = blocks.length * 4096;
      const cycle = await machine.nextCycle((c) => c.endedAt - c.seconds * 1000 >= changedAt);
      const processed = await processedAt(scope.stack, machine, cycle.recoveryPointId);
      await machine.stop();
      report({
        name: `${label}: cycle after the change (agent log: ${cycle.batches} batches, ${cycle.dataMiB} MiB data), detect → point`,
        value: cycle.seconds,
        unit: "s",
      });
      report({
        name: `${label}: cycle start → point processed (batch applied to the replica in the background; polled every 0.1 s)`,
        value: (processed - (cycle.endedAt - cycle.seconds * 1000)) / 1000,
        unit: "s",
      });
      report({
        name: `${label}: change → point (incl. waiting up to the ${cycleIntervalSeconds} s cycle interval)`,
        value: (cycle.endedAt - changedAt) / 1000,
        unit: "s",
      });
      report({
        name: `${label}: bytes on the wire / changed bytes (${(changedBytes / MiB).toFixed(1)} MiB changed)`,
        value: (cycle.wireMiB * MiB) / changedBytes,
        unit: "×",
      });
      // What any in-place apply costs here: the same blocks as single page writes straight into Azurite.
      let floor = Number.POSITIVE_INFINITY;
      for (const inFlight of [4, 8]) {
        const seconds = await rawScatteredWrites(scope.stack.azurite.connectionString, sizeBytes, blocks, inFlight);
        report({
          name: `${label}: raw Azurite, the ${blocks.length} changed blocks as 4 KiB page writes, ${inFlight} in flight`,
          value: seconds,
          unit: "s",
        });
        floor = Math.min(floor, seconds);
      }
      report({
        name: `${label}: Ferry cycle against those raw page writes`,
        value: cycle.seconds,
        unit: "s",
        baseline: { name: "raw page writes", value: floor },
      });
      if (!rsyncInstalled()) return;
      const rsyncDefault = rsyncSeconds(image, copies[0] as string);
      const rsync4k = rsyncSeconds(image, copies[1] as string, ["-B4096"]);
      report({ name: `${label}: rsync --inplace --no-whole-file, same change`, value: rsyncDefault, unit: "s" });
      report({ name: `${label}: rsync --inplace --no-whole-file -B4096, same change`, value: rsync4k, unit: "s" });
      report({
        name: `${label}: Ferry cycle against rsync (default block size)`,
        value: cycle.seconds,
        unit: "s",
        baseline: { name: "rsync", value: rsyncDefault },
      });
      report({
        name: `${label}: Ferry cycle against rsync -B4096`,
        value: cycle.seconds,
        unit: "s",
        baseline: { name: "rsync -B4096", value: rsync4k },
      });
    });
  },
};
