import { z } from "zod";
import { operatorRoles } from "../domain/access";
import { idSchema, named, nameSchema, secretSchema, timeSchema } from "./common";

export const operatorRoleSchema = z.enum(operatorRoles);

export const createOperatorKeyRequest = named(
  "CreateOperatorKeyRequest",
  z.strictObject({ name: nameSchema, role: operatorRoleSchema, expiresAt: timeSchema.optional() }),
  "A key for one project with one role; without expiresAt it works until deleted.",
);
export type CreateOperatorKeyRequest = z.infer<typeof createOperatorKeyRequest>;

const keyFields = {
  id: idSchema("operatorKey"),
  name: nameSchema,
  role: operatorRoleSchema,
  expiresAt: timeSchema.optional(),
};

export const createdOperatorKeySchema = named(
  "CreatedOperatorKey",
  z.object({ ...keyFields, key: secretSchema(32, 200) }),
  "The key (`ok_<id>.<secret>`) is shown this once; send it as `Authorization: Bearer <key>`.",
);

export const operatorKeySchema = named(
  "OperatorKey",
  z.object({
    ...keyFields,
    projectId: idSchema("project"),
    createdAt: timeSchema,
    lastUsedAt: timeSchema.optional(),
  }),
  "Never the secret. lastUsedAt is kept to the minute.",
);

export const whoAmISchema = named(
  "WhoAmI",
  z.object({
    role: z.enum(["Administrator", ...operatorRoles]),
    projectId: idSchema("project").optional(),
  }),
  "The caller's role; projectId when it holds only in that project.",
);
