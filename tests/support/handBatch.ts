// Change batches written by hand, record by record, to say things the encoder never would: an LZ4 extent
// that claims more than it holds, records that lie about lengths, a body cut short.
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { CODEC, EXTENT_KIND, encodeHeader, encodeRecord, type BatchHeader } from "../../shared/replication/wire";

export interface HandExtent {
  kind?: number;
  codec?: number;
  offset: number;
  /** The logical length the record claims. */
  length: number;
  /** The bytes that follow the record. */
  stored?: Buffer;
  /** CRC-32 of the logical bytes; by default of `stored`. */
  dataCrc?: number;
}

export function handHeader(machineId: string, sequence: number, diskId = "disk0", epoch = 1): BatchHeader {
  return { machineId, diskId, epoch, sequence, flags: { final: false, appConsistent: false, crashConsistent: true } };
}

/**
 * Header, the records with their bytes, the end record, then the SHA-256 trailer. The end record
 * agrees with the extents unless `endCovered` says how many bytes it claims they cover.
 */
export function handBatch(header: BatchHeader, extents: readonly HandExtent[], endCovered?: number): Buffer {
  const parts: Buffer[] = [encodeHeader(header)];
  for (const extent of extents) {
    const stored = extent.stored ?? Buffer.alloc(0);
    const kind = extent.kind ?? EXTENT_KIND.data;
    parts.push(
      encodeRecord({
        kind,
        codec: extent.codec ?? CODEC.none,
        storedLength: stored.length,
        offset: extent.offset,
        length: extent.length,
        dataCrc: extent.dataCrc ?? (kind === EXTENT_KIND.zero ? 0 : crc32(stored)),
      }),
      stored,
    );
  }
  const covered = endCovered ?? extents.reduce((sum, e) => sum + e.length, 0);
  parts.push(
    encodeRecord({
      kind: EXTENT_KIND.end,
      codec: CODEC.none,
      storedLength: 0,
      offset: extents.length,
      length: covered,
      dataCrc: 0,
    }),
  );
  const body = Buffer.concat(parts);
  return Buffer.concat([body, createHash("sha256").update(body).digest()]);
}
