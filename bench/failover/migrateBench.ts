/**
 * Failover end to end: POST migrate (shutdownSource false, so from the latest point) until the
 * job is Succeeded and the VM exists, for a replicated 1 GiB disk (half random, half zero runs) and a 10 GiB mostly
 * sparse disk, against the time to simply upload that many bytes into the same Azurite as 4 MiB
 * page writes (1 GiB measured; 10 GiB extrapolated from it).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { routes, type Job, type ProjectClient } from "../../client";
import type { Bench } from "../support/bench";
import { report } from "../support/report";
import { withStack } from "../e2e/benchRun";
import { GiB, MiB, makeImage } from "../e2e/images";
import { rawPageUpload } from "../e2e/rawUpload";
import { replicate, replicatingAt, type ReplicatedMachine } from "../e2e/replicatedMachine";

const largeGiB = Number(process.env.FERRY_BENCH_FAILOVER_LARGE_GIB ?? 10);

async function migrateSeconds(
  project: ProjectClient,
  machine: ReplicatedMachine,
): Promise<{ seconds: number; job: Job }> {
  const started = performance.now();
  const params = { itemId: machine.itemId };
  const { job } = await project.call(routes.migrate, { params, body: { shutdownSource: false } });
  const ended = await project.waitForJob(job, undefined, { intervalMs: 100, maxIntervalMs: 100 });
  return { seconds: (performance.now() - started) / 1000, job: ended };
}

export const migrateBench: Bench = {
  name: "failover/migrate",
  async run() {
    const label = "failover/migrate";
    await withStack(label, 10, async (scope) => {
      const small = path.join(scope.workDir, "small.img");
      const large = path.join(scope.workDir, "large.img");
      await makeImage(small, "half-zero", GiB);
      await makeImage(large, "sparse", largeGiB * GiB);
      // Some data at both ends of the large disk, the rest zeros (sent as zero runs).
      await writeFile(large, Buffer.alloc(64 * MiB, 0x5a), { flag: "r+" });
      const rawMBps = await rawPageUpload(scope.stack.azurite.connectionString, small, GiB, 1);
      const rawSeconds = GiB / 1e6 / rawMBps;
      report({
        name: `${label}: raw Azurite upload of 1 GiB, 4 MiB page writes, sequential`,
        value: rawSeconds,
        unit: "s",
      });
      const machines = [
        await replicate(scope.stack, scope.workDir, "vm1g", small),
        await replicate(scope.stack, scope.workDir, "vm10g", large),
      ];
      scope.machines.push(...machines);
      for (const machine of machines) await replicatingAt(scope.stack, machine);
      for (const [i, machine] of machines.entries()) {
        const gib = i === 0 ? 1 : largeGiB;
        const { seconds, job } = await migrateSeconds(scope.stack.project, machine);
        if (job.state !== "Succeeded")
          throw new Error(`Migrate ${gib} GiB ended ${job.state}: ${JSON.stringify(job.errors)}`);
        const baseline =
          i === 0
            ? { name: "raw upload of 1 GiB", value: rawSeconds }
            : { name: `raw upload of ${gib} GiB, extrapolated ×${gib} from 1 GiB`, value: rawSeconds * gib };
        report({
          name: `${label} ${gib} GiB disk: POST migrate (shutdownSource false) → job Succeeded, ${job.tasks.length} tasks`,
          value: seconds,
          unit: "s",
          baseline,
        });
      }
    });
  },
};
