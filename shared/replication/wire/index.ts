/**
 * The change-batch wire format (docs/data-path.md §1), the one entry to it: what the agent writes
 * and the process server reads. Of Ferry's code it needs only the error catalog, so the agent
 * carries nothing else of replication.
 */
export {
  CODEC,
  DIGEST_BYTES,
  EXTENT_KIND,
  HEADER_CRC_BYTES,
  HEADER_FIXED_BYTES,
  RECORD_BYTES,
  encodeHeader,
  encodeRecord,
  extentLength,
  joined,
  type BatchFlags,
  type BatchHeader,
  type Extent,
  type ExtentRecord,
  type ReceivedExtent,
} from "./batchFormat";
export { encodeBatch, encodeBatchStream, type EncodeOptions } from "./batchEncoder";
export { readBatch, readBatchParts, type BatchEvent, type BatchSummary, type ReceivedEvent } from "./batchDecoder";
export { batchLimits, DEFAULT_MAX_EXTENT_BYTES, type BatchLimits } from "./batchLimits";
export { codecFor, lz4Codec } from "./extentCodec";
export { AdaptiveCompressor, DEFAULT_COMPRESSOR_OPTIONS, type ExtentCompressor } from "./adaptiveCompressor";
export { ByteReader } from "./byteReader";
export { takeFront } from "./bufferQueue";
