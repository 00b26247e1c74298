// What each control-plane table row holds. Rows never hold a secret: those live in Key Vault.

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
  /** JSON: [{ id, sizeBytes, isBoot }] */
  disks: string;
  /** JSON: [{ mac, ip }] */
  nics: string;
  registeredAt: string;
  updatedAt: string;
  lastHeartbeatAt?: string;
}

/** Finds a machine's project from its id alone (signed agent requests name only the machine). */
export interface AgentRow {
  projectId: string;
  applianceId: string;
}

/** One row per (project, machine identity): what makes a cloned machine's claim fail. */
export interface IdentityRow {
  machineId: string;
}

export interface NonceRow {
  seenAt: string;
}
