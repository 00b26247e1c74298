/**
 * Initial replication end to end: a 1 GiB image, from `agent run` start until the item is
 * Replicating with its first recovery point (real agent CLI → host child process → Azurite),
 * against uploading the same bytes straight into Azurite as 4 MiB page writes — each upload on
 * an Azurite of its own started empty, as the stack's is when the agent starts.
 */
import path from "node:path";
import type { Bench } from "../support/bench";
import { cpuSeconds } from "../support/peakRss";
import { report } from "../support/report";
import { withStack } from "../e2e/benchRun";
import { GiB, makeImage, type ImageKind } from "../e2e/images";
import { rawPageUploadFresh } from "../e2e/rawUpload";
import { replicate, replicatingAt } from "../e2e/replicatedMachine";

const sizeBytes = Number(process.env.FERRY_BENCH_IMAGE_GIB ?? 1) * GiB;
/** FERRY_BENCH_INITIAL_KINDS=random,half-zero (the default) picks the images. */
const kinds = (process.env.FERRY_BENCH_INITIAL_KINDS ?? "random,half-zero").split(",") as ImageKind[];

async function initialCopy(kind: ImageKind): Promise<void> {
  const label = `replication/initial ${kind} ${sizeBytes / GiB} GiB`;
  await withStack(label, 30, async (scope) => {
    const image = path.join(scope.workDir, `${kind}.img`);
    await makeImage(image, kind, sizeBytes);
    const perGiB = (seconds: number) => seconds / (sizeBytes / GiB);
    const sequential = await rawPageUploadFresh(image, sizeBytes, 1);
    const parallel = await rawPageUploadFresh(image, sizeBytes, 4);
    report({
      name: `${label}: raw upload CPU per GiB, sequential: Azurite ${perGiB(sequential.cpu.azurite).toFixed(2)} s, client`,
      value: perGiB(sequential.cpu.client),
      unit: "s",
    });
    report({
      name: `${label}: raw Azurite upload, 4 MiB page writes, sequential`,
      value: sequential.speed,
      unit: "MB/s",
    });
    report({
      name: `${label}: raw Azurite upload, 4 MiB page writes, 4 in flight`,
      value: parallel.speed,
      unit: "MB/s",
    });
    const azuritePid = scope.stack.azurite.process.pid;
    // The agent heartbeats as it does for users (every 10 s): at a bench's 500 ms its heartbeats
    // alone were about 190 table requests per GiB copied, served on the same two cores.
    const machine = await replicate(scope.stack, scope.workDir, "source", image, { ownHeartbeat: true });
    scope.machines.push(machine);
    const before = { azurite: cpuSeconds(azuritePid), host: cpuSeconds(scope.stack.hostPid) };
    // The agent logs the cycle once its point exists; polling the item all through the copy would only load the host and Azurite.
    if (machine.cycles.length === 0) await machine.nextCycle(() => true, 900_000);
    const seconds = ((await replicatingAt(scope.stack, machine)) - machine.runStartedAt) / 1000;
    const cpu = {
      agent: cpuSeconds(machine.agent.pid),
      host: cpuSeconds(scope.stack.hostPid) - before.host,
      azurite: cpuSeconds(azuritePid) - before.azurite,
    };
    report({
      name: `${label}: CPU per GiB: agent ${perGiB(cpu.agent).toFixed(2)} s, host ${perGiB(cpu.host).toFixed(2)} s, Azurite ${perGiB(cpu.azurite).toFixed(2)} s; all three`,
      value: perGiB(cpu.agent + cpu.host + cpu.azurite),
      unit: "s",
    });
    const speed = sizeBytes / 1e6 / seconds;
    const wire = machine.cycles.reduce((sum, cycle) => sum + cycle.wireMiB, 0);
    report({
      name: `${label}: agent run → Replicating with first point, ${seconds.toFixed(1)} s, ${wire.toFixed(0)} MiB on the wire`,
      value: speed,
      unit: "MB/s",
      baseline: { name: "raw sequential", value: sequential.speed },
    });
    report({
      name: `${label}: same, against 4 in flight`,
      value: speed,
      unit: "MB/s",
      baseline: { name: "raw 4 in flight", value: parallel.speed },
    });
  });
}

export const initialReplicationBench: Bench = {
  name: "replication/initial",
  async run() {
    for (const kind of kinds) await initialCopy(kind);
  },
};
