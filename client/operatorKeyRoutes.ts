import * as z from "zod";
import { nameSchema, timeSchema } from "../shared/api/common";
import type { ClientRoute } from "./routeTypes";

// Project operator keys as the API will serve them: the client speaks the agreed contract before the
// server has it, so the CLI's commands exist; when the API lands these move into shared/api's table.

export const operatorKeyRoles = ["Reader", "Contributor", "Owner"] as const;

export const createOperatorKeyRequest = z.strictObject({
  name: nameSchema,
  role: z.enum(operatorKeyRoles),
  expiresAt: timeSchema.optional(),
});

const operatorKeyFields = {
  id: z.string(),
  name: z.string(),
  role: z.enum(operatorKeyRoles),
  expiresAt: timeSchema.optional(),
};

/** The key itself is in the answer to its creation only. */
export const createdOperatorKeySchema = z.object({ ...operatorKeyFields, key: z.string() });

export const operatorKeySchema = z.object({ ...operatorKeyFields, lastUsedAt: timeSchema.optional() });

const keys = "/projects/{projectId}/operator-keys";

export const operatorKeyRoutes = {
  createOperatorKey: {
    name: "createOperatorKey",
    method: "post",
    path: keys,
    body: createOperatorKeyRequest,
    response: { status: 201, description: "The key, shown once.", schema: createdOperatorKeySchema },
  },
  listOperatorKeys: {
    name: "listOperatorKeys",
    method: "get",
    path: keys,
    response: { status: 200, description: "The keys, without their secret.", schema: operatorKeySchema, list: true },
  },
  deleteOperatorKey: {
    name: "deleteOperatorKey",
    method: "delete",
    path: `${keys}/{keyId}`,
    response: { status: 204, description: "Deleted: the key no longer authenticates." },
  },
} as const satisfies Record<string, ClientRoute>;
