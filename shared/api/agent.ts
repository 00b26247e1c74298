import * as z from "zod";
import { diskIdSchema, idSchema, named, secretSchema } from "./common";

/** Azure's largest managed disk is 32 TiB; discovery accepts bigger facts, replication refuses them. */
const hostnamePattern =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const macPattern = /^[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}$/;

export const machineDiskSchema = named(
  "MachineDisk",
  z.strictObject({
    id: diskIdSchema,
    sizeBytes: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
    isBoot: z.boolean(),
  }),
);

export const machineNicSchema = named(
  "MachineNic",
  z.strictObject({
    mac: z.string().regex(macPattern, "must be a MAC address such as 00:15:5d:01:02:03"),
    ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  }),
);

export const machineFactsSchema = named(
  "MachineFacts",
  z
    .strictObject({
      hostname: z.string().min(1).max(253).regex(hostnamePattern, "must be a host name"),
      os: z.string().min(1).max(64),
      osVersion: z.string().min(1).max(128),
      cpus: z.int().min(1).max(1024),
      memoryMiB: z
        .int()
        .min(1)
        .max(32 * 1024 * 1024),
      disks: z.array(machineDiskSchema).min(1).max(64),
      nics: z.array(machineNicSchema).max(32),
      /** SMBIOS UUID when the agent can read it: the machine's identity across re-registrations. */
      biosId: z
        .string()
        .min(1)
        .max(64)
        .regex(/^[A-Za-z0-9-]+$/)
        .optional(),
    })
    .check((ctx) => {
      const disks = ctx.value.disks;
      if (disks.filter((disk) => disk.isBoot).length !== 1) {
        ctx.issues.push({
          code: "custom",
          input: disks,
          path: ["disks"],
          message: "exactly one disk must be the boot disk",
        });
      }
      if (new Set(disks.map((disk) => disk.id)).size !== disks.length) {
        ctx.issues.push({ code: "custom", input: disks, path: ["disks"], message: "disk ids must be unique" });
      }
    }),
);
export type MachineFacts = z.infer<typeof machineFactsSchema>;

export const agentRegisterRequest = named(
  "AgentRegisterRequest",
  z.strictObject({ passphrase: secretSchema(16, 256), machine: machineFactsSchema }),
);
export type AgentRegisterRequest = z.infer<typeof agentRegisterRequest>;

export const agentRegisterResponse = named(
  "AgentRegisterResponse",
  z.object({ machineId: idSchema("machine"), agentKey: secretSchema(32, 256) }),
  "The agent key signs every later agent request; it is shown once.",
);
export type AgentRegisterResponse = z.infer<typeof agentRegisterResponse>;
