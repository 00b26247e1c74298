/**
 * Key Vault's key operations as the REST API and `@azure/keyvault-keys` speak them: create an RSA key
 * (`POST /keys/{name}/create`), read its public part (`GET /keys/{name}[/{version}]`), and wrap or
 * unwrap a key with it (`POST /keys/{name}/{version}/wrapkey | unwrapkey`). The private key never
 * leaves the vault.
 */
import { constants, createPrivateKey, privateDecrypt, publicEncrypt } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../http/bodyLimit";
import type { KeyStore, StoredKey } from "./keyStore";
import { kvError, send } from "./respond";

/** RSA-OAEP (SHA-1) and RSA-OAEP-256, as Key Vault Standard offers for software RSA keys. */
const oaepHashes: Record<string, string> = { "RSA-OAEP": "sha1", "RSA-OAEP-256": "sha256" };
const allOps = ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"];

function bundle(url: string, key: StoredKey) {
  return {
    key: { kid: `${url}keys/${key.name}/${key.version}`, key_ops: key.keyOps, ...key.publicJwk },
    attributes: {
      enabled: true,
      created: key.created,
      updated: key.created,
      recoveryLevel: "Recoverable+Purgeable",
      recoverableDays: 7,
    },
    tags: key.tags,
  };
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse((await readBody(req, 64 * 1024)).toString("utf8"));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function create(store: KeyStore, url: string, req: IncomingMessage, res: ServerResponse, name: string) {
  const body = await jsonBody(req);
  if (!body) return kvError(res, 400, "BadParameter", "The request body is not valid JSON.");
  if (body.kty !== "RSA") return kvError(res, 400, "BadParameter", "This vault creates RSA keys only (kty: RSA).");
  const bits = body.key_size === undefined ? 2048 : Number(body.key_size);
  if (![2048, 3072, 4096].includes(bits))
    return kvError(res, 400, "BadParameter", "key_size must be 2048, 3072 or 4096.");
  const ops = Array.isArray(body.key_ops) ? body.key_ops.filter((op): op is string => typeof op === "string") : allOps;
  const tags = (typeof body.tags === "object" && body.tags !== null ? body.tags : {}) as Record<string, string>;
  send(res, 200, bundle(url, await store.create(name, bits, ops, tags)));
}

/** Wraps with the public key, unwraps with the private one; bad ciphertext is a 400, as in Key Vault. */
async function operate(
  key: StoredKey,
  url: string,
  req: IncomingMessage,
  res: ServerResponse,
  operation: "wrapKey" | "unwrapKey",
) {
  const body = await jsonBody(req);
  const hash = typeof body?.alg === "string" ? oaepHashes[body.alg] : undefined;
  if (!body || hash === undefined || typeof body.value !== "string")
    return kvError(res, 400, "BadParameter", "alg (RSA-OAEP or RSA-OAEP-256) and value are required.");
  if (!key.keyOps.includes(operation))
    return kvError(res, 403, "Forbidden", `Operation ${operation} is not permitted on this key.`);
  const input = Buffer.from(body.value, "base64url");
  const padding = constants.RSA_PKCS1_OAEP_PADDING;
  try {
    const output =
      operation === "wrapKey"
        ? publicEncrypt({ key: createPrivateKey(key.privatePem), padding, oaepHash: hash }, input)
        : privateDecrypt({ key: createPrivateKey(key.privatePem), padding, oaepHash: hash }, input);
    send(res, 200, { kid: `${url}keys/${key.name}/${key.version}`, value: output.toString("base64url") });
  } catch {
    kvError(res, 400, "BadParameter", "The value could not be processed with this key and algorithm.");
  }
}

/** `rest` is the path after /keys/: [name], [name, version], [name, "create"] or [name, version, op]. */
export async function keys(store: KeyStore, url: string, req: IncomingMessage, res: ServerResponse, rest: string[]) {
  const [name = "", second, third] = rest;
  if (req.method === "POST" && second === "create" && third === undefined) return create(store, url, req, res, name);
  const operation = { wrapkey: "wrapKey", unwrapkey: "unwrapKey" } as const;
  const op = third === undefined ? undefined : operation[third as keyof typeof operation];
  if ((req.method === "GET" && third === undefined) || (req.method === "POST" && op !== undefined)) {
    const key = await store.get(name, second);
    if (!key) return kvError(res, 404, "KeyNotFound", `A key with (name/id) ${name}/${second ?? ""} was not found.`);
    return op === undefined ? send(res, 200, bundle(url, key)) : operate(key, url, req, res, op);
  }
  kvError(res, 405, "MethodNotAllowed", "No such key operation.");
}
