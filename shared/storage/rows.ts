// What each control-plane table row holds. Rows never hold a secret: those live in Key Vault.
// A JSON column is read and written only through its codec in columns.ts, which holds its schema.

export interface ProjectRow {
  name: string;
  geography: string;
  targetRegion: string;
  createdAt: string;
  /** Set once the first replication exists: the target region is then fixed. */
  targetRegionLocked: boolean;
}

export interface RegistrationKeyRow {
  projectId: string;
  expiresAt: string;
  usedAt?: string;
  applianceId?: string;
}

export interface ApplianceRow {
  projectId: string;
  name: string;
  state: "Registered" | "Finalized";
  registeredAt: string;
  finalizedAt?: string;
  passphraseRotatedAt: string;
}

export interface MachineRow {
  applianceId: string;
  identity: string;
  hostname: string;
  os: string;
  osVersion: string;
  cpus: number;
  memoryMiB: number;
  /** JSON: `columns.machineDisks` */
  disks: string;
  /** JSON: `columns.machineNics` */
  nics: string;
  registeredAt: string;
  updatedAt: string;
  lastHeartbeatAt?: string;
}

/** Finds a machine's project from its id alone (signed agent requests name only the machine). */
export interface AgentRow {
  projectId: string;
  applianceId: string;
  /** JSON: the machine fingerprints heard with this key (`shared/domain/machinePrints.ts` PrintRecord). */
  print?: string;
}

/**
 * What is left of an agent whose machine's replication was removed (partition: machine id, row:
 * "retired"): no key, only the answer its requests get, so it stops instead of failing.
 */
export interface RetiredAgentRow {
  projectId: string;
  retiredAt: string;
  reason: "MigrationCompleted" | "ReplicationDisabled";
}

/** One row per (project, machine identity): what makes a cloned machine's claim fail. */
export interface IdentityRow {
  machineId: string;
}

export interface NonceRow {
  seenAt: string;
}

export interface PolicyRow {
  name: string;
  rpoThresholdMinutes: number;
  recoveryPointRetentionHours: number;
  crashConsistentFrequencyMinutes: number;
  appConsistentFrequencyMinutes: number;
  createdAt: string;
}

/** One replicating server (migration item). JSON columns keep the row one point-read. */
export interface ItemRow {
  machineId: string;
  machineName: string;
  policyId: string;
  migrationState: string;
  testMigrateState: string;
  replicationPaused: boolean;
  resyncRequired: boolean;
  resyncInProgress: boolean;
  /** JSON: the resolved target settings, `columns.itemTarget` */
  target: string;
  /** JSON: each disk's choice and figures, `columns.itemDisks` */
  disks: string;
  /** The job that holds the item: only one lifecycle operation at a time. */
  currentJobId?: string;
  /** A recovery plan's job holding the item: only that job starts operations on it until it ends. */
  planJobId?: string;
  initialSeedingProgress: number;
  lastRecoveryPointTime?: string;
  /** Source time of the newest point whose batches are all on the replica. */
  lastProcessedPointTime?: string;
  rpoSeconds?: number;
  lastHeartbeatTime?: string;
  /** Set when the first replicated byte arrives; target settings are fixed from then on. */
  replicationStartedAt?: string;
  /** The replication epoch batches must carry (1 until a resync starts a new one). */
  epoch?: number;
  /** JSON: the agent's last report, `columns.itemAgentFigures` */
  agentFigures?: string;
  /** JSON: the problems the agent's last heartbeat reported, `columns.itemAgentProblems` */
  agentProblems?: string;
  /** When data last arrived (seeding progress); initial replication counts as stalled after a long silence. */
  lastProgressTime?: string;
  /** The newest agent-reported doubt (its `since`) already acted on: a resent report starts no second resync. */
  resyncDoubtAt?: string;
  /** Why a resync is required or running (the agent's report, or the operator's request). */
  resyncReason?: string;
  /** When the running resync began: the resync id the agent must complete. */
  resyncStartedAt?: string;
  /** The operator's bandwidth cap for this server's agent (heartbeat instruction). */
  throttleBytesPerSecond?: number;
  /** Set by a lifecycle job to steer the agent (FinalSync, Stop); see shared/domain/agentInstructions.ts. */
  agentAction?: string;
  /** The test VM and the recovery point it was made from, until cleanup. */
  testVmId?: string;
  testPointId?: string;
  /** JSON: { host, seenAt } of another machine last refused for using this item's agent key. */
  agentClone?: string;
  /** The migrated VM and its recovery point. */
  migratedVmId?: string;
  migratePointId?: string;
  createdAt: string;
  updatedAt: string;
}

/** A job; `body` is the domain Job as JSON (`columns.jobBody`), the other columns serve filters. */
export interface JobRow {
  itemId?: string;
  operation: string;
  state: string;
  body: string;
}

/** At most one item per machine: inserting this row is the claim. */
export interface MachineClaimRow {
  itemId: string;
  jobId: string;
}

/**
 * Where one disk's replication stands (partition: item id, row: disk id). Acknowledged batches
 * below `nextSequence`; applied to the replica up to `appliedSequence`; `pending` names the
 * staged blobs of the batches in between, in order.
 */
export interface DiskCursorRow {
  projectId: string;
  epoch: number;
  nextSequence: number;
  appliedSequence: number;
  /** JSON: the last acknowledgements, so a resent batch gets the same answer (`columns.cursorAcks`). */
  acks: string;
  /** JSON: the batches acknowledged, not yet applied (`columns.cursorPending`). */
  pending: string;
  initialCopyComplete: boolean;
  /** The replica page blob exists and carries its VHD footer. */
  replicaReady: boolean;
  /**
   * Where the acknowledged batches' extents end, at most (a decimal string: Table storage types an
   * unannotated whole number as 32-bit). A first copy writes straight to the replica only past it.
   */
  ackedEnd?: string;
  /** JSON: recovery points cut at a sequence before it was applied; absent: none (`columns.cursorMarks`). */
  marks?: string;
  updatedAt: string;
}

/** A recovery point (partition: item id, row: point id); it points at one replica snapshot per disk. */
export interface RecoveryPointRow {
  projectId: string;
  /** The source time the point holds (ISO 8601). */
  time: string;
  type: string;
  /** JSON: each disk's snapshot, or the sequence at which apply takes it (`columns.pointDisks`). */
  disks: string;
  /** JSON: ids of the jobs that use the point; retention never prunes a pinned point (`columns.pointPins`). */
  pins: string;
  cycleId: string;
  final: boolean;
  createdAt: string;
}

/**
 * A project's data-encryption key, wrapped (partition: project id, row: "current"): only the
 * wrapped form is kept, never the key. Rows written before wrapping name a vault secret holding
 * the key itself (`secretName`); they are upgraded in place on start.
 */
export interface DataKeyRow {
  /** The key-encryption key (a Key Vault key version) that wrapped it. */
  wrappingKeyId?: string;
  wrapAlgorithm?: string;
  /** Base64 of the wrapped key bytes. */
  wrapped?: string;
  /** Before wrapping: the vault secret holding the unwrapped key. */
  secretName?: string;
  /** After an upgrade, until its secret is purged: the secret that held the unwrapped key. */
  retiredSecretName?: string;
  createdAt: string;
  upgradedAt?: string;
}

/** A project's operator key (partition: "operatorKey", row: key id); its secret is in Key Vault. */
export interface OperatorKeyRow {
  projectId: string;
  name: string;
  role: string;
  createdAt: string;
  expiresAt?: string;
  /** Kept to the minute: written at most once a minute per key. */
  lastUsedAt?: string;
}

/**
 * A recovery plan (partition: project id, row: plan id). Its webhook signing secret is in Key Vault
 * (`plans/planSecrets.ts`), never here.
 */
export interface RecoveryPlanRow {
  name: string;
  description?: string;
  /** JSON: the ordered groups with their items and actions, `columns.planGroups` */
  groups: string;
  /** The plan job running now: the plan cannot change or go until it ends. */
  currentJobId?: string;
  createdAt: string;
  updatedAt: string;
}
