import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { generate } from "selfsigned";
import { readBody } from "../http/bodyLimit";
import type { KeyStore } from "./keyStore";
import { keys } from "./keys";
import { kvError, send } from "./respond";
import type { SecretStore, StoredSecret } from "./secretStore";

export interface LocalKeyVault {
  url: string;
  /** PEM of the self-signed certificate clients must trust. */
  caPem: string;
  /** The bearer token the vault accepts (a stand-in for an Entra token). */
  token: string;
  stop(): Promise<void>;
}

const namePattern = /^[0-9a-zA-Z-]{1,127}$/;

function bundle(url: string, s: StoredSecret) {
  return {
    id: `${url}secrets/${s.name}/${s.version}`,
    value: s.value,
    contentType: s.contentType,
    tags: s.tags,
    attributes: {
      enabled: true,
      created: s.created,
      updated: s.created,
      recoveryLevel: "Recoverable+Purgeable",
      recoverableDays: 7,
    },
  };
}

function authorized(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A Key Vault–compatible endpoint over HTTPS with challenge authentication, so the unmodified
 * `@azure/keyvault-secrets` and `@azure/keyvault-keys` clients run locally exactly as against Azure:
 * secrets, and (given a key store) RSA keys with their wrap and unwrap operations.
 */
export async function startLocalKeyVault(store: SecretStore, port = 0, keyStore?: KeyStore): Promise<LocalKeyVault> {
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    extensions: [
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  const token = randomBytes(32).toString("base64url");
  const server = https.createServer({ key: pems.private, cert: pems.cert });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `https://localhost:${(server.address() as AddressInfo).port}/`;
  server.on("request", (req, res) => {
    handle({ secrets: store, keys: keyStore }, url, token, req, res).catch((e: unknown) =>
      kvError(res, 500, "InternalError", e instanceof Error ? e.message : String(e)),
    );
  });
  return {
    url,
    caPem: pems.cert,
    token,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  stores: { secrets: SecretStore; keys?: KeyStore },
  url: string,
  token: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (!authorized(req, token)) {
    return send(
      res,
      401,
      { error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." } },
      {
        "www-authenticate": `Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", resource="https://vault.azure.net"`,
      },
    );
  }
  const path = new URL(req.url ?? "/", url).pathname.split("/").filter(Boolean);
  const [collection, name, version] = path;
  if (name !== undefined && !namePattern.test(name))
    return kvError(res, 400, "BadParameter", `The ${collection === "keys" ? "key" : "secret"} name is not valid.`);
  if (collection === "keys" && name && stores.keys) return keys(stores.keys, url, req, res, path.slice(1));
  const store = stores.secrets;
  if (collection === "secrets") return secrets(store, url, req, res, name, version);
  if (collection === "deletedsecrets" && name) return deleted(store, url, req, res, name, version);
  kvError(res, 404, "NotFound", "No such operation.");
}

async function secrets(
  store: SecretStore,
  url: string,
  req: IncomingMessage,
  res: ServerResponse,
  name?: string,
  version?: string,
): Promise<void> {
  if (!name) {
    const value = (await store.names()).map((n) => ({ id: `${url}secrets/${n}`, attributes: { enabled: true } }));
    return send(res, 200, { value, nextLink: null });
  }
  if (req.method === "PUT") {
    if (await store.isDeleted(name))
      return kvError(res, 409, "Conflict", `Secret ${name} is currently in a deleted but recoverable state.`);
    const body = JSON.parse((await readBody(req, 1024 * 1024)).toString("utf8")) as {
      value?: unknown;
      contentType?: string;
      tags?: Record<string, string>;
    };
    if (typeof body.value !== "string") return kvError(res, 400, "BadParameter", "Property value is required.");
    return send(res, 200, bundle(url, await store.set(name, body.value, body.contentType, body.tags ?? {})));
  }
  if (req.method === "DELETE") {
    const current = await store.get(name);
    if (!current)
      return kvError(res, 404, "SecretNotFound", `A secret with (name/id) ${name} was not found in this key vault.`);
    const deletedDate = await store.markDeleted(name);
    return send(res, 200, {
      ...bundle(url, current),
      recoveryId: `${url}deletedsecrets/${name}`,
      deletedDate,
      scheduledPurgeDate: deletedDate + 7 * 86400,
    });
  }
  if (version === "versions") {
    const value = (await store.versions(name)).map((s) => ({
      id: `${url}secrets/${name}/${s.version}`,
      attributes: { enabled: true, created: s.created },
    }));
    return send(res, 200, { value, nextLink: null });
  }
  const secret = await store.get(name, version);
  if (!secret)
    return kvError(
      res,
      404,
      "SecretNotFound",
      `A secret with (name/id) ${name}/${version ?? ""} was not found in this key vault.`,
    );
  send(res, 200, bundle(url, secret));
}

async function deleted(
  store: SecretStore,
  url: string,
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  action?: string,
): Promise<void> {
  const deletedDate = await store.isDeleted(name);
  if (deletedDate === undefined) return kvError(res, 404, "SecretNotFound", `Deleted secret ${name} was not found.`);
  if (req.method === "DELETE") {
    await store.purge(name);
    return send(res, 204);
  }
  if (req.method === "POST" && action === "recover") {
    await store.recover(name);
    const current = await store.get(name);
    return current ? send(res, 200, bundle(url, current)) : kvError(res, 404, "SecretNotFound", "Nothing to recover.");
  }
  const latest = (await store.versions(name))[0];
  send(res, 200, {
    ...(latest ? bundle(url, latest) : {}),
    recoveryId: `${url}deletedsecrets/${name}`,
    deletedDate,
    scheduledPurgeDate: deletedDate + 7 * 86400,
  });
}
