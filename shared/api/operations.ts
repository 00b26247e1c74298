import * as z from "zod";
import { idPatterns } from "../domain/ids";
import { recoveryPointChoices, recoveryPointTypes } from "../domain/recoveryPoints";
import { azureNameSchema, diskIdSchema, idSchema, named, timeSchema } from "./common";

export const recoveryPointChoiceSchema = z
  .union([
    z.enum(recoveryPointChoices),
    z.string().max(40).regex(idPatterns.recoveryPoint, "must be a recovery point id"),
  ])
  .describe(
    "Latest | LatestProcessed (the newest point already applied to the replica: no wait) | " +
      "LatestApplicationConsistent | LatestCrashConsistent | a recovery point id. " +
      "Checked when asked: an id the item does not have is 404 NotFound; " +
      "a point being pruned, or no point of the named kind, is 409 NoRecoveryPoint.",
  );

export const testMigrateRequest = named(
  "TestMigrateRequest",
  z.strictObject({
    network: azureNameSchema,
    subnet: azureNameSchema.optional(),
    recoveryPoint: recoveryPointChoiceSchema.optional(),
  }),
);
export type TestMigrateRequest = z.infer<typeof testMigrateRequest>;

export const migrateRequest = named(
  "MigrateRequest",
  z.strictObject({ shutdownSource: z.boolean().default(true), recoveryPoint: recoveryPointChoiceSchema.optional() }),
  "By default the source is shut down and its last changes replicated: no data loss.",
);
export type MigrateRequest = z.infer<typeof migrateRequest>;

export const recoveryPointSchema = named(
  "RecoveryPoint",
  z.object({
    id: idSchema("recoveryPoint"),
    time: timeSchema,
    type: z.enum(recoveryPointTypes),
    disks: z.array(z.object({ diskId: diskIdSchema, sizeBytes: z.int().min(0) })).optional(),
    processed: z
      .boolean()
      .describe(
        "Every disk's data is in the replica: false while the batches the point holds are still being applied " +
          "(a failover or verification from it applies them first).",
      ),
  }),
);
export type RecoveryPointResponse = z.infer<typeof recoveryPointSchema>;
