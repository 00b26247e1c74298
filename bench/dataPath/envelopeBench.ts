/**
 * AES-256-GCM chunk sealing throughput. Run: npx tsc -p tsconfig.json && node dist/bench/dataPath/envelopeBench.js
 */
import { decryptChunk, encryptChunk, generateDataKey, type ChunkContext } from "../../shared/security/envelope";
import { MiB, report, sampleData, throughput } from "./benchKit";

const TOTAL = 512 * MiB;

async function main(): Promise<void> {
  const key = generateDataKey();
  const data = sampleData("random", TOTAL);
  for (const chunkBytes of [64 * 1024, MiB, 4 * MiB]) {
    const context = (offset: number): ChunkContext => ({ projectId: "p", itemId: "i", diskId: "d", offset, version: 1 });
    const sealed: Buffer[] = [];
    const encrypt = await throughput(TOTAL, () => {
      sealed.length = 0;
      for (let at = 0; at < TOTAL; at += chunkBytes) sealed.push(encryptChunk(key, context(at), data.subarray(at, at + chunkBytes)));
    });
    const decrypt = await throughput(TOTAL, () => sealed.forEach((chunk, i) => decryptChunk(key, context(i * chunkBytes), chunk)));
    report(`encrypt, ${chunkBytes / 1024} KiB chunks`, encrypt);
    report(`decrypt + verify, ${chunkBytes / 1024} KiB chunks`, decrypt);
  }
}

void main();
