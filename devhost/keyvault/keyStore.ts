import { generateKeyPair, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { odata, TableClient } from "@azure/data-tables";

/** One version of a vault key: the RSA key pair never leaves the vault, only its public half is shown. */
export interface StoredKey {
  name: string;
  version: string;
  /** PKCS#8 PEM of the private key. */
  privatePem: string;
  /** The public key as a JSON Web Key (kty, n, e). */
  publicJwk: { kty: string; n: string; e: string };
  keyOps: string[];
  created: number;
  tags: Record<string, string>;
}

interface KeyRow {
  partitionKey: string;
  rowKey: string;
  privatePem: string;
  publicJwk: string;
  keyOps: string;
  created: number;
  tags: string;
}

const generate = promisify(generateKeyPair);

/** Versions sort newest first, as secrets' do: a descending time prefix, then randomness. */
function newVersion(now: number): string {
  return (2 ** 48 - now).toString(16).padStart(12, "0") + randomBytes(10).toString("hex");
}

/** Keys of the local Key Vault, kept in an Azurite table so they survive restarts. */
export class KeyStore {
  constructor(private readonly table: TableClient) {}

  static async open(connectionString: string, tableName: string): Promise<KeyStore> {
    const table = TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true });
    await table.createTable();
    return new KeyStore(table);
  }

  /** A new version of an RSA key (Key Vault Standard's software-protected keys). */
  async create(name: string, bits: number, keyOps: string[], tags: Record<string, string>): Promise<StoredKey> {
    const pair = await generate("rsa", { modulusLength: bits, publicExponent: 0x10001 });
    const jwk = pair.publicKey.export({ format: "jwk" });
    const key: StoredKey = {
      name,
      version: newVersion(Date.now()),
      privatePem: pair.privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
      publicJwk: { kty: "RSA", n: String(jwk.n), e: String(jwk.e) },
      keyOps,
      created: Math.floor(Date.now() / 1000),
      tags,
    };
    await this.table.createEntity<KeyRow>({
      partitionKey: name.toLowerCase(),
      rowKey: key.version,
      privatePem: key.privatePem,
      publicJwk: JSON.stringify(key.publicJwk),
      keyOps: JSON.stringify(keyOps),
      created: key.created,
      tags: JSON.stringify(tags),
    });
    return key;
  }

  /** The named version, or the newest when none is named. */
  async get(name: string, version?: string): Promise<StoredKey | undefined> {
    const partition = name.toLowerCase();
    for await (const row of this.table.listEntities<KeyRow>({
      queryOptions: { filter: odata`PartitionKey eq ${partition}` },
    })) {
      if (version === undefined || version === "" || row.rowKey === version) return toKey(name, row);
    }
    return undefined;
  }
}

function toKey(name: string, row: KeyRow): StoredKey {
  return {
    name,
    version: row.rowKey,
    privatePem: row.privatePem,
    publicJwk: JSON.parse(row.publicJwk) as StoredKey["publicJwk"],
    keyOps: JSON.parse(row.keyOps) as string[],
    created: row.created,
    tags: JSON.parse(row.tags) as Record<string, string>,
  };
}
