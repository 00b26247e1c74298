/**
 * The change-batch wire format (docs/data-path.md): a header, extent records each followed by
 * its stored bytes, an end record, then the SHA-256 of everything before it. Little-endian.
 * This file holds the layout and the pure (de)serialisers of the fixed-size parts.
 */
import { crc32 } from "node:zlib";
import { joinedParts } from "./bufferQueue";

export const BATCH_MAGIC = Buffer.from("FRYB", "ascii");
export const BATCH_FORMAT_VERSION = 1;
/** Fixed part of the header; the two ids and a CRC-32 follow it. */
export const HEADER_FIXED_BYTES = 28;
export const HEADER_CRC_BYTES = 4;
export const RECORD_BYTES = 32;
export const DIGEST_BYTES = 32;
export const MAX_ID_BYTES = 255;

export const EXTENT_KIND = { data: 1, zero: 2, end: 0xff } as const;
export const CODEC = { none: 0, lz4: 1 } as const;
export type CodecId = (typeof CODEC)[keyof typeof CODEC];

const FLAG_BITS = { final: 1, appConsistent: 2, crashConsistent: 4 } as const;
const KNOWN_FLAGS = FLAG_BITS.final | FLAG_BITS.appConsistent | FLAG_BITS.crashConsistent;

export interface BatchFlags {
  /** The last batch of a planned migration: nothing follows for this disk. */
  final: boolean;
  /** The source quiesced applications (pre/post freeze hooks) for this view. */
  appConsistent: boolean;
  /** The batch closes one instant of the source (a snapshot view or a quiesced source). */
  crashConsistent: boolean;
}

export interface BatchHeader {
  machineId: string;
  diskId: string;
  epoch: number;
  sequence: number;
  flags: BatchFlags;
}

/** A disk range that carries bytes, or a range that reads as zeros (never sent as bytes). */
export type Extent = { kind: "data"; offset: number; data: Buffer } | { kind: "zero"; offset: number; length: number };

/** A data extent as received: its bytes as the request's own chunks, in order (see ByteReader.readParts). */
export type ReceivedExtent =
  | { kind: "data"; offset: number; length: number; parts: readonly Buffer[] }
  | { kind: "zero"; offset: number; length: number };

/** The extent with its bytes in one buffer (copied only when they arrived in several chunks). */
export function joined(extent: ReceivedExtent): Extent {
  if (extent.kind === "zero") return extent;
  return { kind: "data", offset: extent.offset, data: joinedParts(extent.parts, extent.length) };
}

export function extentLength(extent: Extent): number {
  return extent.kind === "data" ? extent.data.length : extent.length;
}

/** One 32-byte record as it sits on the wire. */
export interface ExtentRecord {
  kind: number;
  codec: number;
  storedLength: number;
  offset: number;
  length: number;
  dataCrc: number;
}

export function encodeFlags(flags: BatchFlags): number {
  return (
    (flags.final ? FLAG_BITS.final : 0) |
    (flags.appConsistent ? FLAG_BITS.appConsistent : 0) |
    (flags.crashConsistent ? FLAG_BITS.crashConsistent : 0)
  );
}

/** Undefined when bits this version does not know are set. */
export function decodeFlags(bits: number): BatchFlags | undefined {
  if ((bits & ~KNOWN_FLAGS) !== 0) return undefined;
  return {
    final: (bits & FLAG_BITS.final) !== 0,
    appConsistent: (bits & FLAG_BITS.appConsistent) !== 0,
    crashConsistent: (bits & FLAG_BITS.crashConsistent) !== 0,
  };
}

export function encodeHeader(header: BatchHeader): Buffer {
  const machine = Buffer.from(header.machineId, "utf8");
  const disk = Buffer.from(header.diskId, "utf8");
  const out = Buffer.alloc(HEADER_FIXED_BYTES + machine.length + disk.length + HEADER_CRC_BYTES);
  BATCH_MAGIC.copy(out, 0);
  out.writeUInt16LE(BATCH_FORMAT_VERSION, 4);
  out.writeUInt16LE(encodeFlags(header.flags), 6);
  out.writeBigUInt64LE(BigInt(header.epoch), 8);
  out.writeBigUInt64LE(BigInt(header.sequence), 16);
  out.writeUInt8(machine.length, 24);
  out.writeUInt8(disk.length, 25);
  machine.copy(out, HEADER_FIXED_BYTES);
  disk.copy(out, HEADER_FIXED_BYTES + machine.length);
  const crcAt = out.length - HEADER_CRC_BYTES;
  out.writeUInt32LE(crc32(out.subarray(0, crcAt)), crcAt);
  return out;
}

export function encodeRecord(record: ExtentRecord): Buffer {
  const out = Buffer.alloc(RECORD_BYTES);
  out.writeUInt8(record.kind, 0);
  out.writeUInt8(record.codec, 1);
  out.writeUInt32LE(record.storedLength, 4);
  out.writeBigUInt64LE(BigInt(record.offset), 8);
  out.writeBigUInt64LE(BigInt(record.length), 16);
  out.writeUInt32LE(record.dataCrc, 24);
  out.writeUInt32LE(crc32(out.subarray(0, 28)), 28);
  return out;
}

/** Undefined when the record's own CRC-32 does not match its first 28 bytes. */
export function decodeRecord(bytes: Buffer): (ExtentRecord & { reserved: number }) | undefined {
  if (crc32(bytes.subarray(0, 28)) !== bytes.readUInt32LE(28)) return undefined;
  return {
    kind: bytes.readUInt8(0),
    codec: bytes.readUInt8(1),
    reserved: bytes.readUInt16LE(2),
    storedLength: bytes.readUInt32LE(4),
    offset: readSafeU64(bytes, 8),
    length: readSafeU64(bytes, 16),
    dataCrc: bytes.readUInt32LE(24),
  };
}

/** u64 fields beyond 2^53 come back as Infinity so range checks reject them. */
export function readSafeU64(bytes: Buffer, at: number): number {
  const value = bytes.readBigUInt64LE(at);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(value);
}
