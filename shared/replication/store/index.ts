/**
 * What the data path's rooms share about a disk in storage, the one entry to it: their deps, the
 * agent's item and disk targets, the disk cursor row with the one ack writer, blob names, data
 * keys, the sealed staged-batch format, the VHD footer and the recovery-point rows.
 */
export { dataPathDeps, type DataPathDeps } from "./deps";
export { diskTarget, includedDisks, itemForAgent, toAgentItem, type AgentItem, type DiskTarget } from "./agentItems";
export {
  acknowledge,
  ackedEndOf,
  changeCursor,
  knownAnswer,
  marksOf,
  MAX_PENDING,
  openCursor,
  pendingOf,
  withApplied,
  withMarks,
  type PendingEntry,
  type PointMark,
} from "./diskCursor";
export { cachePrefix, projectContainer, replicaPrefix, replicaRef, stagedRef } from "./blobNames";
export { VaultDataKeys } from "./dataKeys";
export { readStaged, sealEnd, sealExtent, stagedHeader, type StagedContext } from "./sealedBatch";
export { parseVhdFooter, replicaBlobBytes, vhdDiskBytes, vhdFooter } from "./vhdFooter";
export {
  cyclePointId,
  getPoint,
  isSettled,
  itemPoints,
  listRecoveryPoints,
  pinRecoveryPoint,
  pointsAsRetentionSees,
  settlePointDisk,
  unpinRecoveryPoint,
  type PointDisk,
  type SettledDisk,
  type StoredPoint,
} from "./recoveryPointRows";
