import * as z from "zod";
import { machineDiskSchema, machineNicSchema } from "./agent";
import { idSchema, named, timeSchema } from "./common";

/** A discovered server: the facts its agent reported, and whether it replicates. */
export const machineSchema = named(
  "Machine",
  z.object({
    id: idSchema("machine"),
    projectId: idSchema("project"),
    applianceId: idSchema("appliance").optional(),
    hostname: z.string(),
    os: z.string(),
    osVersion: z.string(),
    cpus: z.int(),
    memoryMiB: z.int(),
    disks: z.array(machineDiskSchema),
    nics: z.array(machineNicSchema),
    discoveredAt: timeSchema,
    lastHeartbeatTime: timeSchema.optional(),
    agentVersion: z.string().max(64).optional(),
    replicatingServerId: idSchema("item").optional(),
  }),
);
export type Machine = z.infer<typeof machineSchema>;
