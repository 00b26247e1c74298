/** Limits a receiver enforces on a change batch; exceeding one refuses the whole batch. */
export interface BatchLimits {
  /** Size of the target disk: no extent may end beyond it. */
  diskSizeBytes: number;
  /** Longest data extent (logical bytes); 4 MiB matches Azure's largest page write. */
  maxExtentBytes: number;
  /** Most bytes on the wire for one batch. */
  maxBatchBytes: number;
  maxExtents: number;
}

export const DEFAULT_MAX_EXTENT_BYTES = 4 * 1024 * 1024;

export const DEFAULT_BATCH_LIMITS: Omit<BatchLimits, "diskSizeBytes"> = {
  maxExtentBytes: DEFAULT_MAX_EXTENT_BYTES,
  maxBatchBytes: 256 * 1024 * 1024,
  maxExtents: 1 << 20,
};

export function batchLimits(diskSizeBytes: number, overrides: Partial<BatchLimits> = {}): BatchLimits {
  return { ...DEFAULT_BATCH_LIMITS, diskSizeBytes, ...overrides };
}
