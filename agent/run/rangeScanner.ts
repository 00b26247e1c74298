/**
 * The agent's scan of one disk from a block-aligned offset to its end: disk/changeScanner
 * with the agent's limits, so an initial copy resumes at its acknowledged offset. Extents
 * view the scanner's reused buffers (no allocation per extent): a change's bytes are valid
 * only until the next change is asked for, which the spool honours by writing each one out
 * before it asks again.
 */
import { scanForChanges } from "../disk/changeScanner";
import type { DigestMap } from "../disk/digestMap";
import type { ChangedExtent } from "../disk/extentRuns";
import type { SourceDisk } from "../disk/sourceDisk";
import { DEFAULT_MAX_EXTENT_BYTES } from "../../shared/replication/wire";

export type ScannedChange = ChangedExtent;

export interface RangeScanOptions {
  start: number;
  chunkBytes?: number;
  maxExtentBytes?: number;
  /** Zero runs are cut at this length so journal progress stays regular on empty disks. */
  maxZeroRunBytes?: number;
  onProgress?: (scannedTo: number) => void;
}

export const DEFAULT_MAX_ZERO_RUN_BYTES = 1024 * 1024 * 1024;

export function scanRange(disk: SourceDisk, map: DigestMap, options: RangeScanOptions): AsyncGenerator<ScannedChange> {
  return scanForChanges(disk, map, {
    start: options.start,
    chunkBytes: options.chunkBytes,
    maxExtentBytes: options.maxExtentBytes ?? DEFAULT_MAX_EXTENT_BYTES,
    maxZeroRunBytes: options.maxZeroRunBytes ?? DEFAULT_MAX_ZERO_RUN_BYTES,
    onProgress: options.onProgress,
    reuseBuffers: true,
  });
}
