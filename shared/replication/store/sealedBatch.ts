/**
 * The cache format of a staged batch (docs/data-path.md, "What is stored"): the batch's
 * extents as the process server keeps them until they are applied, compressed when it pays
 * and sealed with the project's data key, one AES-256-GCM chunk per extent whose associated
 * data binds project, item, disk, offset and the batch sequence. Little-endian.
 *
 *   header  "FRYS" | version u16 | reserved u16 | epoch u64 | sequence u64          (24 bytes)
 *   record  kind u8 | codec u8 | reserved u16 | sealed length u32 | offset u64 | length u64 (24)
 *           then the sealed chunk; its plaintext is codec u8 | length u64 | stored bytes
 *   end     kind 0xff record (offset = extent count, length = covered bytes), then a sealed
 *           chunk (offset context 2^53-1) holding the batch SHA-256, count and covered bytes
 */
import { errors } from "../../domain/errors";
import { decryptChunk, encryptChunk, type ChunkContext } from "../../security/envelope";
import { CODEC, codecFor, type ByteReader, type Extent, type ExtentCompressor } from "../wire";

const MAGIC = Buffer.from("FRYS", "ascii");
const VERSION = 1;
export const STAGED_HEADER_BYTES = 24;
const RECORD_BYTES = 24;
const KIND = { data: 1, zero: 2, end: 0xff } as const;
const END_OFFSET = Number.MAX_SAFE_INTEGER;

export interface StagedContext {
  projectId: string;
  itemId: string;
  diskId: string;
  epoch: number;
  sequence: number;
  dataKey: Buffer;
}

export interface StagedSummary {
  extentCount: number;
  coveredBytes: number;
  sha256: string;
}

const chunkContext = (c: StagedContext, offset: number): ChunkContext => ({
  projectId: c.projectId,
  itemId: c.itemId,
  diskId: c.diskId,
  offset,
  version: c.sequence,
});

export function stagedHeader(c: StagedContext): Buffer {
  const out = Buffer.alloc(STAGED_HEADER_BYTES);
  MAGIC.copy(out, 0);
  out.writeUInt16LE(VERSION, 4);
  out.writeBigUInt64LE(BigInt(c.epoch), 8);
  out.writeBigUInt64LE(BigInt(c.sequence), 16);
  return out;
}

function record(kind: number, codec: number, sealedLength: number, offset: number, length: number): Buffer {
  const out = Buffer.alloc(RECORD_BYTES);
  out.writeUInt8(kind, 0);
  out.writeUInt8(codec, 1);
  out.writeUInt32LE(sealedLength, 4);
  out.writeBigUInt64LE(BigInt(offset), 8);
  out.writeBigUInt64LE(BigInt(length), 16);
  return out;
}

function prefixed(codec: number, length: number, stored?: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUInt8(codec, 0);
  head.writeBigUInt64LE(BigInt(length), 1);
  return stored === undefined ? head : Buffer.concat([head, stored]);
}

/** The staged bytes of one extent: its record, then its sealed chunk. */
export function sealExtent(c: StagedContext, extent: Extent, compressor: ExtentCompressor): Buffer[] {
  if (extent.kind === "zero") {
    const sealed = encryptChunk(c.dataKey, chunkContext(c, extent.offset), prefixed(CODEC.none, extent.length));
    return [record(KIND.zero, CODEC.none, sealed.length, extent.offset, extent.length), sealed];
  }
  const { codec, stored } = compressor.choose(extent.data);
  const sealed = encryptChunk(c.dataKey, chunkContext(c, extent.offset), prefixed(codec, extent.data.length, stored));
  return [record(KIND.data, codec, sealed.length, extent.offset, extent.data.length), sealed];
}

export function sealEnd(c: StagedContext, summary: StagedSummary): Buffer[] {
  const body = Buffer.alloc(48);
  Buffer.from(summary.sha256, "hex").copy(body, 0);
  body.writeBigUInt64LE(BigInt(summary.extentCount), 32);
  body.writeBigUInt64LE(BigInt(summary.coveredBytes), 40);
  const sealed = encryptChunk(c.dataKey, chunkContext(c, END_OFFSET), body);
  return [record(KIND.end, CODEC.none, sealed.length, summary.extentCount, summary.coveredBytes), sealed];
}

/** Reads a staged batch back; every chunk is authenticated, and the end chunk must agree with what came before. */
export async function* readStaged(reader: ByteReader, c: StagedContext): AsyncGenerator<Extent, StagedSummary> {
  const header = await reader.read(STAGED_HEADER_BYTES);
  if (!header.equals(stagedHeader(c))) throw errors.chunkIntegrityFailed();
  let count = 0;
  let covered = 0;
  for (;;) {
    const head = await reader.read(RECORD_BYTES);
    const kind = head.readUInt8(0);
    const offset = Number(head.readBigUInt64LE(8));
    const length = Number(head.readBigUInt64LE(16));
    const sealed = await reader.read(head.readUInt32LE(4));
    if (kind === KIND.end) return checkEnd(c, sealed, count, covered);
    const plain = decryptChunk(c.dataKey, chunkContext(c, offset), sealed);
    yield openExtent(kind, offset, length, plain);
    count += 1;
    covered += length;
  }
}

function openExtent(kind: number, offset: number, length: number, plain: Buffer): Extent {
  const codec = plain.readUInt8(0);
  if (Number(plain.readBigUInt64LE(1)) !== length) throw errors.chunkIntegrityFailed();
  if (kind === KIND.zero) return { kind: "zero", offset, length };
  const stored = plain.subarray(9);
  const data = codec === CODEC.none ? stored : codecFor(codec)?.decompress(stored, length);
  if (kind !== KIND.data || data === undefined || data.length !== length) throw errors.chunkIntegrityFailed();
  return { kind: "data", offset, data };
}

function checkEnd(c: StagedContext, sealed: Buffer, count: number, covered: number): StagedSummary {
  const body = decryptChunk(c.dataKey, chunkContext(c, END_OFFSET), sealed);
  const summary = {
    sha256: body.subarray(0, 32).toString("hex"),
    extentCount: Number(body.readBigUInt64LE(32)),
    coveredBytes: Number(body.readBigUInt64LE(40)),
  };
  // A record dropped or replayed from elsewhere in the blob shows here.
  if (summary.extentCount !== count || summary.coveredBytes !== covered) throw errors.chunkIntegrityFailed();
  return summary;
}
