// AES-256-GCM chunk sealing and opening, one core, against a plain copy of the same bytes.
// Run alone: `npm run build && node dist/bench/dataPath/envelopeBench.js`.
import { decryptChunk, encryptChunk, generateDataKey, type ChunkContext } from "../../shared/security/envelope";
import type { Bench } from "../support/bench";
import { report } from "../support/report";
import { MiB, runAlone, sampleData, throughput } from "./benchKit";

const TOTAL = 512 * MiB;

const contextAt = (offset: number): ChunkContext => ({ projectId: "p", itemId: "i", diskId: "d", offset, version: 1 });

export const envelopeBench: Bench = {
  name: "dataPath/envelope",
  async run() {
    const key = generateDataKey();
    const data = sampleData("random", TOTAL);
    const copy = await throughput(TOTAL, () => Buffer.from(data));
    const baseline = { name: "memory copy", value: copy };
    for (const chunkBytes of [64 * 1024, MiB, 4 * MiB]) {
      const sealed: Buffer[] = [];
      const encrypt = await throughput(TOTAL, () => {
        sealed.length = 0;
        for (let at = 0; at < TOTAL; at += chunkBytes)
          sealed.push(encryptChunk(key, contextAt(at), data.subarray(at, at + chunkBytes)));
      });
      const decrypt = await throughput(TOTAL, () =>
        sealed.forEach((chunk, i) => decryptChunk(key, contextAt(i * chunkBytes), chunk)),
      );
      report({ name: `encrypt ${chunkBytes / 1024} KiB chunks`, value: encrypt, unit: "MB/s", baseline });
      report({ name: `decrypt+verify ${chunkBytes / 1024} KiB chunks`, value: decrypt, unit: "MB/s", baseline });
    }
  },
};

if (require.main === module) runAlone(envelopeBench);
