/**
 * Apply's front door: every write of acknowledged batches to a replica enters here, under the
 * replica's lease. `applyPending` takes the lease itself; `applyUnder` runs inside `withReplica`
 * when the caller needs the lease for more (a snapshot, a seed batch); `applySoon` is the inline
 * apply after an ack; `seedWriter` page-writes a seed batch's extents as they arrive.
 */
export { applyPending, applyUnder } from "./applyBatches";
export { applySoon } from "./applySoon";
export { withReplica } from "./replicaLock";
export { seedWriter } from "./replicaWriter";
