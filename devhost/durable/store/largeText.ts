import { randomUUID } from "node:crypto";
import type { ContainerClient } from "@azure/storage-blob";

/** Azure caps a string property at 64 KiB (UTF-16), so text is cut in 30,000-character pieces. */
const chunkChars = 30_000;

export type TextProperties = Record<string, string | number>;

/**
 * Stores text in entity properties `${name}0..n`, or, above `maxChunks` pieces, in a blob
 * written first and named by `${name}Blob` (Azure's 1 MiB entity limit).
 */
export async function packText(
  container: ContainerClient,
  prefix: string,
  name: string,
  text: string | null,
  maxChunks: number,
): Promise<TextProperties> {
  if (text === null) return { [`${name}Chunks`]: 0, [`${name}Blob`]: "" };
  const chunks = Math.max(1, Math.ceil(text.length / chunkChars));
  if (chunks > maxChunks) {
    const blobName = `${prefix}${randomUUID()}.json`;
    const body = Buffer.from(text, "utf8");
    await container.getBlockBlobClient(blobName).upload(body, body.length);
    return { [`${name}Blob`]: blobName, [`${name}Chunks`]: 0 };
  }
  // The empty blob name matters when a merge overwrites a value that had been a blob.
  const properties: TextProperties = { [`${name}Chunks`]: chunks, [`${name}Blob`]: "" };
  for (let i = 0; i < chunks; i++) properties[`${name}${i}`] = text.slice(i * chunkChars, (i + 1) * chunkChars);
  return properties;
}

export async function unpackText(
  container: ContainerClient,
  entity: Record<string, unknown>,
  name: string,
): Promise<string | null> {
  const blobName = entity[`${name}Blob`];
  if (typeof blobName === "string" && blobName !== "")
    return (await container.getBlockBlobClient(blobName).downloadToBuffer()).toString("utf8");
  const chunks = entity[`${name}Chunks`];
  if (typeof chunks !== "number" || chunks === 0) return null;
  let text = "";
  for (let i = 0; i < chunks; i++) text += String(entity[`${name}${i}`] ?? "");
  return text;
}
