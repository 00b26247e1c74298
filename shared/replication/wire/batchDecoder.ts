/**
 * Streams a change batch from a body (an HTTP request) with memory bounded by one extent.
 * Each extent is yielded once its own checksum holds; "end" is yielded only after the
 * whole-batch SHA-256 holds, so a receiver stages extents and commits only on "end".
 */
import { crc32 } from "node:zlib";
import { errors } from "../../domain/errors";
import {
  BATCH_FORMAT_VERSION,
  BATCH_MAGIC,
  CODEC,
  DIGEST_BYTES,
  EXTENT_KIND,
  HEADER_CRC_BYTES,
  HEADER_FIXED_BYTES,
  RECORD_BYTES,
  decodeFlags,
  decodeRecord,
  joined,
  readSafeU64,
  type BatchHeader,
  type Extent,
  type ExtentRecord,
  type ReceivedExtent,
} from "./batchFormat";
import type { BatchLimits } from "./batchLimits";
import { ByteReader } from "./byteReader";
import { codecFor } from "./extentCodec";
import { checkRecord } from "./extentRules";

export interface BatchSummary {
  extentCount: number;
  /** Logical bytes covered: data plus zero runs. */
  coveredBytes: number;
  /** Where the last extent ends on the disk (0 when there is none): extents are sorted, so nothing lies past it. */
  endOffset: number;
  /** Hex SHA-256 from the trailer; a resent batch carries the same one. */
  sha256: string;
  /** Hex SHA-256 of the whole body, trailer included: what a signed request names. */
  bodySha256: string;
}

type Events<E> =
  | { type: "header"; header: BatchHeader }
  | { type: "extent"; index: number; extent: E }
  | { type: "end"; summary: BatchSummary };
export type BatchEvent = Events<Extent>;
export type ReceivedEvent = Events<ReceivedExtent>;

/** The batch with each data extent's bytes in one buffer. */
export async function* readBatch(body: AsyncIterable<Uint8Array>, limits: BatchLimits): AsyncGenerator<BatchEvent> {
  for await (const event of readBatchParts(body, limits))
    yield event.type === "extent" ? { ...event, extent: joined(event.extent) } : event;
}

/** The batch with each data extent's bytes as the request's own chunks, never copied (for straight page writes). */
export async function* readBatchParts(
  body: AsyncIterable<Uint8Array>,
  limits: BatchLimits,
): AsyncGenerator<ReceivedEvent> {
  const reader = new ByteReader(body, limits.maxBatchBytes);
  try {
    yield { type: "header", header: await readHeader(reader) };
    let previousEnd = 0;
    let coveredBytes = 0;
    for (let index = 0; ; index += 1) {
      const record = decodeRecord(await reader.read(RECORD_BYTES));
      if (record === undefined) throw errors.batchChecksumMismatch("record", `extents[${index}]`);
      if (record.kind === EXTENT_KIND.end) {
        yield { type: "end", summary: await readTrailer(reader, record, index, { coveredBytes, previousEnd }) };
        return;
      }
      checkRecord(record, index, previousEnd, limits);
      yield { type: "extent", index, extent: await readExtent(reader, record, index) };
      previousEnd = record.offset + record.length;
      coveredBytes += record.length;
    }
  } finally {
    await reader.close();
  }
}

async function readHeader(reader: ByteReader): Promise<BatchHeader> {
  const fixed = await reader.read(HEADER_FIXED_BYTES);
  if (!fixed.subarray(0, 4).equals(BATCH_MAGIC)) throw errors.batchBadMagic();
  const version = fixed.readUInt16LE(4);
  if (version !== BATCH_FORMAT_VERSION) throw errors.batchUnsupportedVersion(version);
  const machineBytes = fixed.readUInt8(24);
  const diskBytes = fixed.readUInt8(25);
  const rest = await reader.read(machineBytes + diskBytes + HEADER_CRC_BYTES);
  const crcAt = machineBytes + diskBytes;
  if (crc32(rest.subarray(0, crcAt), crc32(fixed)) !== rest.readUInt32LE(crcAt))
    throw errors.batchChecksumMismatch("header");
  const flags = decodeFlags(fixed.readUInt16LE(6));
  if (flags === undefined) throw errors.batchMalformed("The batch sets flags this version does not know.", "flags");
  if (fixed.readUInt16LE(26) !== 0 || machineBytes === 0 || diskBytes === 0)
    throw errors.batchMalformed("The batch header is malformed.", "header");
  const epoch = readSafeU64(fixed, 8);
  const sequence = readSafeU64(fixed, 16);
  if (!Number.isFinite(epoch) || !Number.isFinite(sequence))
    throw errors.batchMalformed("Epoch or sequence is out of range.", "header");
  const machineId = rest.toString("utf8", 0, machineBytes);
  const diskId = rest.toString("utf8", machineBytes, crcAt);
  return { machineId, diskId, epoch, sequence, flags };
}

async function readExtent(reader: ByteReader, record: ExtentRecord, index: number): Promise<ReceivedExtent> {
  if (record.kind === EXTENT_KIND.zero) return { kind: "zero", offset: record.offset, length: record.length };
  const parts =
    record.codec === CODEC.none
      ? await reader.readParts(record.storedLength)
      : await decompressed(await reader.read(record.storedLength), record);
  if (parts === undefined || parts.reduce((crc, part) => crc32(part, crc), 0) !== record.dataCrc)
    throw errors.extentChecksumMismatch(index);
  return { kind: "data", offset: record.offset, length: record.length, parts };
}

async function decompressed(stored: Buffer, record: ExtentRecord): Promise<Buffer[] | undefined> {
  const data = await codecFor(record.codec)?.decompressOffLoop(stored, record.length);
  return data === undefined ? undefined : [data];
}

async function readTrailer(
  reader: ByteReader,
  end: ExtentRecord & { reserved: number },
  count: number,
  { coveredBytes, previousEnd }: { coveredBytes: number; previousEnd: number },
): Promise<BatchSummary> {
  const expected = reader.digest();
  const actual = await reader.read(DIGEST_BYTES, false);
  if (!actual.equals(expected)) throw errors.batchChecksumMismatch("trailer");
  // The digest holds, so a count that disagrees means the sender built the batch wrong.
  const plain = end.codec === CODEC.none && end.reserved === 0 && end.storedLength === 0 && end.dataCrc === 0;
  if (!plain || end.offset !== count || end.length !== coveredBytes)
    throw errors.batchMalformed("The end record disagrees with the extents.", "trailer");
  if (!(await reader.atEnd())) throw errors.batchMalformed("Bytes follow the batch trailer.", "trailer");
  return {
    extentCount: count,
    coveredBytes,
    endOffset: previousEnd,
    sha256: actual.toString("hex"),
    bodySha256: reader.digestWith(actual),
  };
}
