import * as z from "zod";
import { diskIdPattern, idLength, idPatterns, type IdKind } from "../domain/ids";

/**
 * Building blocks for the API schemas. Requests are strict (an unknown field is refused, so a
 * typo never silently does nothing); every string and number is bounded.
 */

/** Named schemas become `#/components/schemas/<id>` in the OpenAPI document. */
export const apiRegistry = z.registry<{ id: string; description?: string }>();

export function named<T extends z.ZodType>(id: string, schema: T, description?: string): T {
  apiRegistry.add(schema, description === undefined ? { id } : { id, description });
  return schema;
}

export function idSchema(kind: IdKind) {
  const length = idLength(kind);
  return z.string().min(length).max(length).regex(idPatterns[kind], `must be a ${kind} id`);
}

export const diskIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(diskIdPattern, "must be 1-64 letters, digits, '.', '_' or '-'");

/** Times on the wire are ISO 8601 UTC with a Z. */
export const timeSchema = z.iso.datetime();

export const nameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
  );

/** Azure region names as ARM spells them: "westeurope", "eastus2". */
export const regionSchema = z
  .string()
  .min(3)
  .max(32)
  .regex(/^[a-z][a-z0-9]+$/, "must be an Azure region name such as westeurope");

/** Azure resource group names: letters, digits, '_', '-', '.', '(' and ')', not ending in '.'. */
export const resourceGroupSchema = z
  .string()
  .min(1)
  .max(90)
  .regex(/^[A-Za-z0-9_().-]*[A-Za-z0-9_()-]$/, "must be a valid Azure resource group name");

/** Virtual network, subnet and availability set names share this alphabet. */
export const azureNameSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    "must start with a letter or digit and hold only letters, digits, '.', '_' or '-'",
  );

/** A VM name leaves room for the "-Test" suffix a test migration adds (Azure allows 64). */
export const vmNameSchema = z
  .string()
  .min(1)
  .max(59)
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, "must be letters, digits and inner '-' only");

/** An opaque credential: printable ASCII without spaces. Its value never appears in an error. */
export function secretSchema(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");
}

export const emptyBodySchema = named("EmptyBody", z.strictObject({}), "Operations without options take no body or {}.");

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ value: z.array(item), nextLink: z.string().max(4096).optional() });
}

export const errorBodySchema = named(
  "ErrorResponse",
  z.object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      target: z.string().optional(),
      details: z.array(z.object({ code: z.string(), message: z.string(), target: z.string().optional() })).optional(),
    }),
  }),
);
