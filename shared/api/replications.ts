import * as z from "zod";
import { healthErrorCodes, healthStates } from "../domain/health";
import { itemOperations, migrationStates, testMigrateStates } from "../domain/itemState";
import { diskTypes } from "../domain/targetDisks";
import {
  azureNameSchema,
  diskIdSchema,
  idSchema,
  named,
  resourceGroupSchema,
  timeSchema,
  vmNameSchema,
} from "./common";
import { jobSchema } from "./jobs";

export const targetDiskSettings = named(
  "TargetDiskSettings",
  z.strictObject({ diskId: diskIdSchema, include: z.boolean(), diskType: z.enum(diskTypes) }),
);

/** "auto" picks the closest match from the size catalog; a name is checked against it. */
const vmSizeSchema = z
  .string()
  .min(4)
  .max(64)
  .regex(/^(?:auto|Standard_[A-Za-z0-9_]+)$/, 'must be "auto" or an Azure VM size such as Standard_D2s_v5');

function uniqueDiskIds(disks: readonly { diskId: string }[] | undefined): boolean {
  return disks === undefined || new Set(disks.map((disk) => disk.diskId)).size === disks.length;
}

const targetFields = {
  resourceGroup: resourceGroupSchema,
  // Either may be left out where the deployment names a default network (FERRY_TARGET_DEFAULT_NETWORK).
  network: azureNameSchema.optional(),
  subnet: azureNameSchema.optional(),
  vmName: vmNameSchema.optional(),
  vmSize: vmSizeSchema.optional(),
  osDiskId: diskIdSchema.optional(),
  availabilitySet: azureNameSchema.optional(),
  hybridBenefit: z.boolean().optional(),
  disks: z.array(targetDiskSettings).min(1).max(64).refine(uniqueDiskIds, "each diskId may appear once").optional(),
};

export const targetSettings = named("TargetSettings", z.strictObject(targetFields));
export type TargetSettings = z.infer<typeof targetSettings>;

export const enableReplicationRequest = named(
  "EnableReplicationRequest",
  z.strictObject({ machineId: idSchema("machine"), policyId: idSchema("policy"), target: targetSettings }),
);
export type EnableReplicationRequest = z.infer<typeof enableReplicationRequest>;

/**
 * PATCH changes target settings (until replication starts, as in Azure Migrate) and the agent's
 * bandwidth cap (any time; null removes it).
 */
export const updateReplicatingServerRequest = named(
  "UpdateReplicatingServerRequest",
  z
    .strictObject({
      target: z.strictObject(targetFields).partial().optional(),
      throttleBytesPerSecond: z.int().min(1).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
    })
    .refine((body) => Object.keys(body.target ?? {}).length > 0 || body.throttleBytesPerSecond !== undefined, {
      message: "name at least one target setting or throttleBytesPerSecond to change",
      path: ["target"],
    }),
);
export type UpdateReplicatingServerRequest = z.infer<typeof updateReplicatingServerRequest>;

export const healthErrorSchema = named(
  "HealthError",
  z.object({
    code: z.enum(healthErrorCodes),
    message: z.string(),
    recommendedAction: z.string(),
    severity: z.enum(["Warning", "Critical"]),
  }),
);

export const replicatingDiskSchema = named(
  "ReplicatingDisk",
  z.object({
    diskId: diskIdSchema,
    sizeBytes: z.int().min(0),
    isBoot: z.boolean(),
    include: z.boolean(),
    diskType: z.enum(diskTypes),
    bytesReplicated: z.int().min(0),
    uploadBytesPerSecond: z.number().min(0),
    /** How fast the source changed between the last two delta points (Site Recovery supports 20 MB/s per disk). */
    churnBytesPerSecond: z.number().min(0).optional(),
  }),
);

export const replicatingServerSchema = named(
  "ReplicatingServer",
  z.object({
    id: idSchema("item"),
    projectId: idSchema("project"),
    machineId: idSchema("machine"),
    policyId: idSchema("policy"),
    machineName: z.string(),
    migrationState: z.enum(migrationStates),
    testMigrateState: z.enum(testMigrateStates),
    replicationPaused: z.boolean(),
    resyncRequired: z.boolean(),
    resyncInProgress: z.boolean(),
    /** Why a resync is required or running: the agent's report of lost state, for example. */
    resyncReason: z.string().optional(),
    allowedOperations: z.array(z.enum(itemOperations)),
    health: z.enum(healthStates),
    healthErrors: z.array(healthErrorSchema),
    initialSeedingProgress: z.int().min(0).max(100),
    lastRecoveryPointTime: timeSchema.optional(),
    /** The newest recovery point whose batches are all applied to the replica (processed). */
    lastProcessedPointTime: timeSchema.optional(),
    rpoSeconds: z.int().min(0).optional(),
    lastHeartbeatTime: timeSchema.optional(),
    /** What the agent reported last: bytes sent, its upload speed and the bytes still to send (backlog). */
    agentFigures: z
      .object({ bytesSent: z.int().min(0), bytesPerSecond: z.number().min(0), backlogBytes: z.int().min(0) })
      .optional(),
    estimatedFinalSyncSeconds: z
      .int()
      .min(0)
      .optional()
      .describe(
        "How long a migration's final sync should take (backlog and recent churn at the recent upload speed); " +
          "absent while nothing was measured.",
      ),
    /** The bandwidth cap sent to the agent, when one is set. */
    throttleBytesPerSecond: z.int().min(1).optional(),
    target: z.object({ ...targetFields, network: azureNameSchema, subnet: azureNameSchema, vmSize: z.string() }),
    disks: z.array(replicatingDiskSchema),
    currentJobId: idSchema("job").optional(),
    createdAt: timeSchema,
  }),
);
export type ReplicatingServer = z.infer<typeof replicatingServerSchema>;

export const enableReplicationResponse = named(
  "EnableReplicationResponse",
  z.object({ item: replicatingServerSchema, job: jobSchema }),
);
export type EnableReplicationResponse = z.infer<typeof enableReplicationResponse>;
