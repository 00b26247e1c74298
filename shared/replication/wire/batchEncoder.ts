/**
 * Streams a change batch: yields the header, then each extent's record and stored bytes as it
 * is pulled, so only one extent is held at a time. Wrap with `Readable.from()` for an HTTP body.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import { errors } from "../../domain/errors";
import {
  CODEC,
  EXTENT_KIND,
  MAX_ID_BYTES,
  encodeHeader,
  encodeRecord,
  extentLength,
  type BatchHeader,
  type Extent,
} from "./batchFormat";
import { DEFAULT_MAX_EXTENT_BYTES } from "./batchLimits";
import { noCompression, type ExtentCompressor } from "./adaptiveCompressor";

export interface EncodeOptions {
  compressor?: ExtentCompressor;
  /** Data extents longer than this are split; keep it within the receiver's limit. */
  maxExtentBytes?: number;
  /**
   * Receives the SHA-256 (hex) of the whole encoded batch, trailer included, before the trailer
   * is yielded: what a signed request names, without hashing the bytes again.
   */
  onBodyDigest?: (sha256Hex: string) => void;
}

export async function* encodeBatch(
  header: BatchHeader,
  extents: AsyncIterable<Extent> | Iterable<Extent>,
  options: EncodeOptions = {},
): AsyncGenerator<Buffer> {
  checkHeader(header);
  const compressor = options.compressor ?? noCompression;
  const maxExtentBytes = options.maxExtentBytes ?? DEFAULT_MAX_EXTENT_BYTES;
  const hash = createHash("sha256");
  const emit = (bytes: Buffer): Buffer => (hash.update(bytes), bytes);
  yield emit(encodeHeader(header));
  let count = 0;
  let totalBytes = 0;
  let end = 0;
  for await (const extent of extents) {
    for (const piece of splitExtent(extent, maxExtentBytes)) {
      if (piece.offset < end) throw errors.extentsOutOfOrder(count);
      for (const bytes of encodeExtent(piece, compressor)) yield emit(bytes);
      count += 1;
      totalBytes += extentLength(piece);
      end = piece.offset + extentLength(piece);
    }
  }
  yield emit(
    encodeRecord({
      kind: EXTENT_KIND.end,
      codec: CODEC.none,
      storedLength: 0,
      offset: count,
      length: totalBytes,
      dataCrc: 0,
    }),
  );
  const trailer = hash.copy().digest();
  options.onBodyDigest?.(hash.update(trailer).digest("hex"));
  yield trailer;
}

/** The same bytes as a Node stream, e.g. for an HTTP request body; pulls extents as it is read. */
export function encodeBatchStream(
  header: BatchHeader,
  extents: AsyncIterable<Extent> | Iterable<Extent>,
  options: EncodeOptions = {},
): Readable {
  return Readable.from(encodeBatch(header, extents, options), { objectMode: false });
}

function encodeExtent(extent: Extent, compressor: ExtentCompressor): Buffer[] {
  if (extent.kind === "zero") {
    return [
      encodeRecord({
        kind: EXTENT_KIND.zero,
        codec: CODEC.none,
        storedLength: 0,
        offset: extent.offset,
        length: extent.length,
        dataCrc: 0,
      }),
    ];
  }
  const { codec, stored } = compressor.choose(extent.data);
  const record = encodeRecord({
    kind: EXTENT_KIND.data,
    codec,
    storedLength: stored.length,
    offset: extent.offset,
    length: extent.data.length,
    dataCrc: crc32(extent.data),
  });
  return [record, stored];
}

/** Empty extents are dropped; data longer than the limit is cut into limit-sized pieces. */
function* splitExtent(extent: Extent, maxExtentBytes: number): Iterable<Extent> {
  if (!Number.isSafeInteger(extent.offset) || extent.offset < 0)
    throw errors.invalidInput("Extent offsets are non-negative integers.", "offset");
  if (extent.kind === "zero") {
    if (extent.length > 0) yield extent;
    return;
  }
  for (let at = 0; at < extent.data.length; at += maxExtentBytes) {
    yield { kind: "data", offset: extent.offset + at, data: extent.data.subarray(at, at + maxExtentBytes) };
  }
}

function checkHeader(header: BatchHeader): void {
  for (const [name, id] of [
    ["machineId", header.machineId],
    ["diskId", header.diskId],
  ] as const) {
    const bytes = Buffer.byteLength(id, "utf8");
    if (bytes < 1 || bytes > MAX_ID_BYTES)
      throw errors.invalidInput(`${name} must be 1-${MAX_ID_BYTES} bytes of UTF-8.`, name);
  }
  for (const [name, value] of [
    ["epoch", header.epoch],
    ["sequence", header.sequence],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw errors.invalidInput(`${name} must be a non-negative integer.`, name);
  }
}
