import * as z from "zod";
import { idSchema, named, nameSchema, secretSchema, timeSchema } from "./common";

export const registerApplianceRequest = named(
  "RegisterApplianceRequest",
  z.strictObject({ registrationKey: secretSchema(16, 1024), name: nameSchema }),
  "The registration key is the credential: no operator key is needed.",
);
export type RegisterApplianceRequest = z.infer<typeof registerApplianceRequest>;

export const registerApplianceResponse = named(
  "RegisterApplianceResponse",
  z.object({ applianceId: idSchema("appliance"), projectId: idSchema("project"), passphrase: secretSchema(16, 256) }),
  "The passphrase is shown once.",
);
export type RegisterApplianceResponse = z.infer<typeof registerApplianceResponse>;

export const applianceStates = ["Registered", "Finalized"] as const;

export const applianceSchema = named(
  "Appliance",
  z.object({
    id: idSchema("appliance"),
    projectId: idSchema("project"),
    name: nameSchema,
    state: z.enum(applianceStates),
    registeredAt: timeSchema,
    finalizedAt: timeSchema.optional(),
    passphraseRotatedAt: timeSchema.optional(),
  }),
);
export type Appliance = z.infer<typeof applianceSchema>;

export const passphraseResponse = named("PassphraseResponse", z.object({ passphrase: secretSchema(16, 256) }));
export type PassphraseResponse = z.infer<typeof passphraseResponse>;
