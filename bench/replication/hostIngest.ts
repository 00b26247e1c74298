/**
 * The process server alone (was tests/integration/dataPathThroughput.test.ts): a random image's
 * change batches encoded beforehand, then PUT through the host child process one after another
 * (signed, decoded and verified, sealed, staged, acknowledged, applied inline) and a cycle that
 * makes the point; against raw 4 MiB page writes of the same bytes into the same Azurite.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { signRequest, splitAgentKey, type AgentCredentials } from "../../agent/signedClient";
import { readState } from "../../agent/state";
import { AdaptiveCompressor, encodeBatch, type Extent } from "../../shared/replication/wire";
import type { Bench } from "../support/bench";
import { report } from "../support/report";
import { withStack } from "../e2e/benchRun";
import { MiB, makeImage } from "../e2e/images";
import { rawPageUpload } from "../e2e/rawUpload";
import { enroll } from "../e2e/replicatedMachine";

const sizeBytes = Number(process.env.FERRY_BENCH_INGEST_MIB ?? 256) * MiB;
const BATCH_BYTES = 32 * MiB;
const EXTENT_BYTES = 4 * MiB;

async function encoded(
  image: Buffer,
  machineId: string,
  diskId: string,
  sequence: number,
  at: number,
): Promise<Buffer> {
  const extents: Extent[] = [];
  for (let offset = at; offset < Math.min(at + BATCH_BYTES, image.length); offset += EXTENT_BYTES) {
    extents.push({ kind: "data", offset, data: image.subarray(offset, Math.min(offset + EXTENT_BYTES, image.length)) });
  }
  const header = {
    machineId,
    diskId,
    epoch: 1,
    sequence,
    flags: { final: false, appConsistent: false, crashConsistent: false },
  };
  const parts: Buffer[] = [];
  for await (const part of encodeBatch(header, extents, { compressor: new AdaptiveCompressor() })) parts.push(part);
  return Buffer.concat(parts);
}

async function signedCall(
  api: string,
  credentials: AgentCredentials,
  method: string,
  route: string,
  body: Buffer,
  contentType: string,
): Promise<void> {
  const url = new URL(`${api}${route}`);
  const response = await fetch(url, {
    method,
    body,
    headers: { ...signRequest(credentials, method, url, body), "content-type": contentType },
  });
  if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

export const hostIngestBench: Bench = {
  name: "replication/host-ingest",
  async run() {
    const label = `replication/host-ingest ${sizeBytes / MiB} MiB random, 32 MiB batches, inline apply`;
    await withStack(label, 30, async ({ workDir, stack }) => {
      const file = path.join(workDir, "disk.img");
      await makeImage(file, "random", sizeBytes);
      const raw = await rawPageUpload(stack.azurite.connectionString, file, sizeBytes, 4);
      const machine = await enroll(stack, workDir, "source", file);
      const state = readState(machine.stateDir);
      if (!state) throw new Error("The agent wrote no state.");
      const credentials = splitAgentKey(state.agentKey);
      const diskId = state.disks[0]?.id ?? "disk0";
      const image = await readFile(file);
      const batches: Buffer[] = [];
      for (let at = 0; at < sizeBytes; at += BATCH_BYTES)
        batches.push(await encoded(image, machine.machineId, diskId, batches.length + 1, at));
      const base = `/agent/machines/${machine.machineId}/items/${machine.itemId}`;
      const started = performance.now();
      for (const [i, batch] of batches.entries())
        await signedCall(
          stack.api,
          credentials,
          "PUT",
          `${base}/disks/${diskId}/batches/1/${i + 1}`,
          batch,
          "application/octet-stream",
        );
      const ingest = sizeBytes / 1e6 / ((performance.now() - started) / 1000);
      const cycleStarted = performance.now();
      const cycle = {
        cycleId: "bench",
        sourceTime: new Date().toISOString(),
        type: "Inconsistent",
        disks: [{ diskId, sequence: batches.length }],
      };
      await signedCall(
        stack.api,
        credentials,
        "POST",
        `${base}/cycles`,
        Buffer.from(JSON.stringify(cycle)),
        "application/json",
      );
      report({ name: `${label}: raw Azurite upload, 4 MiB page writes, 4 in flight`, value: raw, unit: "MB/s" });
      report({
        name: `${label}: host ingest, signed PUTs one at a time`,
        value: ingest,
        unit: "MB/s",
        baseline: { name: "raw 4 in flight", value: raw },
      });
      report({
        name: `${label}: cycle (apply the rest, snapshot, point row)`,
        value: (performance.now() - cycleStarted) / 1000,
        unit: "s",
      });
    });
  },
};
