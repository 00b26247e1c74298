// What storage holds about the resources a test names, read straight from Azurite with the real SDKs,
// so a test can show that a refused request changed nothing: every row of Ferry's tables and of the local
// vault (its secrets), every blob and snapshot by ETag, length and metadata, and replicas' bytes by SHA-256.
import { createHash } from "node:crypto";
import { RestError, TableClient, TableServiceClient } from "@azure/data-tables";
import {
  BlobServiceClient,
  RestError as StorageError,
  type BlobClient,
  type ContainerClient,
} from "@azure/storage-blob";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";

/** Row fields left out: the keys (they name the row), the service's own, and a key's last use (it moves on reads). */
const volatileFields = ["partitionKey", "rowKey", "timestamp", "etag", "odata.etag", "odata.metadata", "lastUsedAt"];

/** Nonces past the ±5 minute window (and the pruner's minute of margin) may be deleted at any moment. */
const prunableNonceAgeMs = 6 * 60 * 1000;

/** Replicas up to this size are hashed when asked; those in tests are a few MiB. */
const hashLimitBytes = 64 * 1024 * 1024;

export interface SnapshotOptions {
  /** More row fields to leave out, each for a stated reason (e.g. a heartbeat the test sends itself). */
  ignoreFields?: readonly string[];
  /** Also read replicas' bytes (and their snapshots') for their SHA-256; an ETag alone shows any write. */
  replicaBytes?: boolean;
}

/** One reading: "<kind> <where>" → what it held (rows as sorted JSON, blobs as etag, length, digest). */
export interface Snapshot {
  readonly entries: ReadonlyMap<string, string>;
}

/** Tables whose rows are Ferry's state: its own, and the local vault's secrets and keys. */
/**
 * Tables that hold state a request could change. The metrics sampler's tables are left out: its timer
 * adds a sample of every item each period, whatever any request does.
 */
const samplerTables = new Set(["FerryMetricSamples", "FerryMetricItems"]);
const isStateTable = (name: string) =>
  (name.startsWith("Ferry") && !samplerTables.has(name)) || name.toLowerCase().startsWith("devhostkeyvault");

/** An id as storage may spell it: itself, and with '-' for '_' (container and vault secret names). */
const spellings = (mentions: readonly string[]) => mentions.flatMap((m) => [m, m.replace(/_/g, "-").toLowerCase()]);

function sortedJson(value: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))));
}

async function tableRows(service: TableServiceClient, connectionString: string, ignored: Set<string>) {
  const rows: [string, string][] = [];
  for await (const table of service.listTables()) {
    const name = table.name ?? "";
    if (!isStateTable(name)) continue;
    const client = TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });
    try {
      for await (const entity of client.listEntities()) {
        const kept = Object.entries(entity).filter(([field]) => !ignored.has(field));
        rows.push([`row ${name} ${entity.partitionKey} ${entity.rowKey}`, sortedJson(Object.fromEntries(kept))]);
      }
    } catch (error) {
      // A table another suite dropped meanwhile reads as empty.
      if (!(error instanceof RestError && error.statusCode === 404)) throw error;
    }
  }
  return rows;
}

async function digestOf(blob: BlobClient): Promise<string | undefined> {
  try {
    return createHash("sha256")
      .update(await blob.downloadToBuffer())
      .digest("hex");
  } catch (error) {
    if (error instanceof StorageError && error.statusCode === 404) return undefined;
    throw error;
  }
}

async function containerBlobs(container: ContainerClient, wanted: (text: string) => boolean, hashed: boolean) {
  const blobs: [string, string][] = [];
  const whole = wanted(container.containerName);
  for await (const blob of container.listBlobsFlat({ includeMetadata: true, includeSnapshots: true })) {
    const metadata = sortedJson(blob.metadata ?? {});
    if (!whole && !wanted(`${blob.name} ${metadata}`)) continue;
    const length = blob.properties.contentLength ?? 0;
    const client = container.getBlobClient(blob.name).withSnapshot(blob.snapshot ?? "");
    const sha256 =
      hashed && blob.name.startsWith("replicas/") && length <= hashLimitBytes ? await digestOf(client) : "-";
    // Deleted since it was listed: it is gone, as the next reading will say.
    if (sha256 === undefined) continue;
    const where = `blob ${container.containerName}/${blob.name}${blob.snapshot ? `@${blob.snapshot}` : ""}`;
    blobs.push([where, `etag ${blob.properties.etag} length ${length} sha256 ${sha256} metadata ${metadata}`]);
  }
  return blobs;
}

/** Reads what storage holds about anything whose id (or other unique text) is in `mentions`. */
export async function takeSnapshot(
  connectionString: string,
  mentions: readonly string[],
  options: SnapshotOptions = {},
): Promise<Snapshot> {
  const names = spellings(mentions);
  const wanted = (text: string) => names.some((name) => text.includes(name));
  const ignored = new Set([...volatileFields, ...(options.ignoreFields ?? [])]);
  const tables = TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection: true });
  const entries = new Map((await tableRows(tables, connectionString, ignored)).filter(([k, v]) => wanted(`${k} ${v}`)));
  const blobs = BlobServiceClient.fromConnectionString(connectionString);
  for await (const container of blobs.listContainers()) {
    for (const [where, what] of await containerBlobs(
      blobs.getContainerClient(container.name),
      wanted,
      options.replicaBytes === true,
    ))
      entries.set(where, what);
  }
  return { entries };
}

/** A nonce row the maintenance timer may delete: its request can no longer pass the signature window. */
function prunableNonce(where: string, held: string): boolean {
  if (!where.startsWith("row FerryNonces ")) return false;
  const seenAt = Date.parse(String((JSON.parse(held) as { seenAt?: unknown }).seenAt));
  return Date.now() - seenAt > prunableNonceAgeMs;
}

function fieldChanges(where: string, before: string, after: string): string[] {
  if (!where.startsWith("row ")) return [`changed ${where}: ${before} → ${after}`];
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]))
    .map((field) => `changed ${where} ${field}: ${JSON.stringify(a[field])} → ${JSON.stringify(b[field])}`);
}

/** Every difference between two readings, one line each; empty when nothing changed. */
export function changesBetween(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const [where, held] of before.entries) {
    const now = after.entries.get(where);
    if (now === undefined) {
      if (!prunableNonce(where, held)) out.push(`removed ${where}`);
    } else if (now !== held) out.push(...fieldChanges(where, held, now));
  }
  for (const [where, held] of after.entries) if (!before.entries.has(where)) out.push(`added ${where}: ${held}`);
  return out.sort();
}

/** A nonce recorded for one machine's signed request (partitioned by the machine, or by minute and machine). */
function nonceRowOf(machineId: string): RegExp {
  return new RegExp(`^added row FerryNonces (\\S+\\.)?${machineId} [A-Za-z0-9_-]+: `);
}

/** Watches what storage holds about some resources; other suites share the account, so only those. */
export class StateWatch {
  private readonly mentions: string[];

  constructor(
    private readonly connectionString: string,
    mentions: readonly string[],
    private readonly options: SnapshotOptions = {},
  ) {
    this.mentions = [...mentions];
  }

  /** Watches these too (resources made later, or text a refused request carries, like a name). */
  add(...mentions: string[]): this {
    this.mentions.push(...mentions);
    return this;
  }

  snapshot(): Promise<Snapshot> {
    return takeSnapshot(this.connectionString, this.mentions, this.options);
  }

  async changesSince(before: Snapshot): Promise<string[]> {
    return changesBetween(before, await this.snapshot());
  }

  /** A reading once two in a row agree: work an accepted request left running (an apply) has ended. */
  async quiet(timeoutMs = 15_000): Promise<Snapshot> {
    const until = Date.now() + timeoutMs;
    let last = await this.snapshot();
    for (;;) {
      await sleep(150);
      const now = await this.snapshot();
      const changes = changesBetween(last, now);
      if (changes.length === 0) return now;
      if (Date.now() > until) throw new Error(`Storage kept changing:\n${changes.join("\n")}`);
      last = now;
    }
  }

  /**
   * Runs `act` and returns what it returned, failing with the list of changes if storage changed.
   * `signedBy`: the refused requests carried a valid signature of this machine, so each one's nonce
   * is recorded (a replay stays refused even once what refused it has changed) — that row alone may appear.
   */
  async unchanged<T>(act: () => Promise<T>, options: { signedBy?: string } = {}): Promise<T> {
    const before = await this.quiet();
    const result = await act();
    const nonce = options.signedBy === undefined ? undefined : nonceRowOf(options.signedBy);
    const changes = (await this.changesSince(before)).filter((change) => !nonce?.test(change));
    expect(changes, "storage changed").toEqual([]);
    return result;
  }
}

/** The rows (of Ferry's tables and the vault's) that mention one of `ids`, as sorted lines. */
export async function rowsMentioning(connectionString: string, ids: readonly string[]): Promise<string[]> {
  const { entries } = await takeSnapshot(connectionString, ids);
  return [...entries].filter(([where]) => where.startsWith("row ")).map(([where, held]) => `${where} ${held}`);
}
