import * as z from "zod";
import { azureNameSchema, diskIdSchema, idSchema, named, resourceGroupSchema, timeSchema } from "./common";
import { diskTypes } from "../domain/targetDisks";

/** A VM that a test migration or migration created, with its disks as fixed VHDs. */
export const virtualMachineSchema = named(
  "VirtualMachine",
  z.object({
    id: idSchema("virtualMachine"),
    projectId: idSchema("project"),
    itemId: idSchema("item"),
    name: z.string(),
    kind: z.enum(["TestMigration", "Migration"]),
    vmSize: z.string(),
    resourceGroup: resourceGroupSchema,
    network: azureNameSchema,
    subnet: azureNameSchema.optional(),
    hybridBenefit: z.boolean(),
    availabilitySet: azureNameSchema.optional(),
    osType: z.enum(["Windows", "Linux"]),
    state: z.enum(["Running", "Deleting"]),
    networkInterface: z.object({ name: z.string(), privateIpAddress: z.string() }),
    recoveryPointId: idSchema("recoveryPoint"),
    createdAt: timeSchema,
    disks: z.array(
      z.object({
        diskId: diskIdSchema,
        isOsDisk: z.boolean(),
        diskType: z.enum(diskTypes),
        sizeBytes: z.int().min(0),
        vhdSizeBytes: z.int().min(0),
      }),
    ),
  }),
);
export type VirtualMachine = z.infer<typeof virtualMachineSchema>;
