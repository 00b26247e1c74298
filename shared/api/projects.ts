import * as z from "zod";
import { idSchema, named, nameSchema, regionSchema, secretSchema, timeSchema } from "./common";

/** Azure Migrate geographies are words like "Europe" or "United States". */
const geographySchema = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[A-Za-z][A-Za-z ]*[A-Za-z]$/, "must be a geography name such as Europe");

export const createProjectRequest = named(
  "CreateProjectRequest",
  z.strictObject({ name: nameSchema, geography: geographySchema, targetRegion: regionSchema }),
);
export type CreateProjectRequest = z.infer<typeof createProjectRequest>;

export const projectSchema = named(
  "Project",
  z.object({
    id: idSchema("project"),
    name: nameSchema,
    geography: geographySchema,
    targetRegion: regionSchema,
    createdAt: timeSchema,
  }),
);
export type Project = z.infer<typeof projectSchema>;

export const registrationKeyResponse = named(
  "RegistrationKey",
  z.object({ key: secretSchema(16, 1024), expiresAt: timeSchema }),
  "Single use; valid for 5 days.",
);
export type RegistrationKeyResponse = z.infer<typeof registrationKeyResponse>;
