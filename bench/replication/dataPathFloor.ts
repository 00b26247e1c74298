/**
 * How fast any agent → process server → storage path can be on this machine, against the raw
 * upload the initial-copy target is measured by (bench/e2e/relayFloor.ts). Two floors: the
 * relay alone (read, one loopback HTTP hop, page writes), and the relay with the work Ferry's
 * design cannot drop (block digests, extent CRC-32s and the body's SHA-256 on both sides, the
 * agent's spool). Each run on an Azurite of its own, started empty.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Bench } from "../support/bench";
import { report } from "../support/report";
import { GiB, makeImage, type ImageKind } from "../e2e/images";
import { rawPageUploadFresh } from "../e2e/rawUpload";
import { relayFloor, type FloorWork } from "../e2e/relayFloor";

const sizeBytes = Number(process.env.FERRY_BENCH_IMAGE_GIB ?? 1) * GiB;
const kinds = (process.env.FERRY_BENCH_INITIAL_KINDS ?? "random,half-zero").split(",") as ImageKind[];
const works: Record<FloorWork, string> = { relay: "relay alone", design: "relay + the design's hashes and spool" };

async function floors(kind: ImageKind, workDir: string): Promise<void> {
  const label = `replication/floor ${kind} ${sizeBytes / GiB} GiB`;
  const image = path.join(workDir, `${kind}.img`);
  await makeImage(image, kind, sizeBytes);
  const perGiB = (seconds: number) => (seconds / (sizeBytes / GiB)).toFixed(2);
  const raw = await rawPageUploadFresh(image, sizeBytes, 1);
  report({
    name: `${label}: raw Azurite upload, 4 MiB page writes, sequential (Azurite ${perGiB(raw.cpu.azurite)} + client ${perGiB(raw.cpu.client)} CPU-s per GiB)`,
    value: raw.speed,
    unit: "MB/s",
  });
  for (const work of Object.keys(works) as FloorWork[]) {
    const run = await relayFloor(image, sizeBytes, work, workDir);
    const cpu = `sender ${perGiB(run.cpu.sender)} + relay ${perGiB(run.cpu.relay)} + Azurite ${perGiB(run.cpu.azurite)} CPU-s per GiB`;
    report({
      name: `${label}: ${works[work]} (${cpu})`,
      value: run.speed,
      unit: "MB/s",
      baseline: { name: "raw sequential", value: raw.speed },
    });
  }
}

export const dataPathFloorBench: Bench = {
  name: "replication/floor",
  async run() {
    const workDir = await mkdtemp(path.join(process.env.BENCH_DIR ?? os.tmpdir(), "ferry-floor-"));
    try {
      for (const kind of kinds) await floors(kind, workDir);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
};
