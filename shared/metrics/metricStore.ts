/**
 * The metrics room's table: one row per sample (partition: item id, row: the sample's ISO time, so
 * rows sort by time), and one index row per sampled item so samples of a removed item are found.
 */
import type { HealthErrorCode, HealthState } from "../domain/health";
import type { MetricSample } from "../domain/metricSeries";
import { tableClient, type StorageAccess } from "../storage/storageAccess";
import { TableStore } from "../storage/tableStore";

export interface MetricSampleRow {
  projectId: string;
  rpoSeconds?: number;
  lagSeconds?: number;
  uploadBytesPerSecond: number;
  backlogBytes: number;
  health: string;
  /** Health error codes, comma-separated. */
  healthErrors: string;
}

export interface SampledItemRow {
  projectId: string;
}

const indexPartition = "sampled";

function toRow(projectId: string, sample: MetricSample): MetricSampleRow {
  const { time: _time, healthErrors, ...figures } = sample;
  return { projectId, ...figures, healthErrors: healthErrors.join(",") };
}

function toSample(time: string, row: MetricSampleRow): MetricSample {
  return {
    time,
    ...(row.rpoSeconds === undefined ? {} : { rpoSeconds: row.rpoSeconds }),
    ...(row.lagSeconds === undefined ? {} : { lagSeconds: row.lagSeconds }),
    uploadBytesPerSecond: row.uploadBytesPerSecond,
    backlogBytes: row.backlogBytes,
    health: row.health as HealthState,
    healthErrors: row.healthErrors === "" ? [] : (row.healthErrors.split(",") as HealthErrorCode[]),
  };
}

export class MetricStore {
  private created: Promise<void> | undefined;
  /** Items whose index row this process already wrote: one index write per item, not per sample. */
  private readonly indexed = new Set<string>();
  /** Each item's health errors in the last sample this process recorded, so raising them needs no read. */
  private readonly lastErrors = new Map<string, readonly HealthErrorCode[]>();

  constructor(
    private readonly samples: TableStore<MetricSampleRow>,
    private readonly index: TableStore<SampledItemRow>,
  ) {}

  /** Creates the tables once per process. */
  ready(): Promise<void> {
    this.created ??= Promise.all([this.samples.ensure(), this.index.ensure()]).then(() => undefined);
    this.created.catch(() => (this.created = undefined));
    return this.created;
  }

  async record(projectId: string, itemId: string, sample: MetricSample): Promise<void> {
    if (!this.indexed.has(itemId)) await this.index.upsert(indexPartition, itemId, { projectId });
    this.indexed.add(itemId);
    await this.samples.upsert(itemId, sample.time, toRow(projectId, sample));
    this.lastErrors.set(itemId, sample.healthErrors);
  }

  /** The health errors of the item's newest sample at or after `from` (none when there is none). */
  async lastHealthErrors(itemId: string, from: Date): Promise<readonly HealthErrorCode[]> {
    const known = this.lastErrors.get(itemId);
    if (known) return known;
    return (await this.since(itemId, from)).at(-1)?.healthErrors ?? [];
  }

  /** The item's samples at or after `from`, oldest first. */
  async since(itemId: string, from: Date | undefined): Promise<MetricSample[]> {
    const found: MetricSample[] = [];
    const bounds = from === undefined ? {} : { from: from.toISOString() };
    for await (const row of this.samples.range(itemId, bounds)) found.push(toSample(row.rowKey, row.value));
    return found;
  }

  /** Deletes up to `limit` samples taken before `cutoff`; how many went. */
  async pruneBefore(itemId: string, cutoff: Date | undefined, limit = 500): Promise<number> {
    const old: string[] = [];
    const bounds = cutoff === undefined ? {} : { before: cutoff.toISOString() };
    for await (const row of this.samples.range(itemId, bounds)) {
      old.push(row.rowKey);
      if (old.length >= limit) break;
    }
    for (const rowKey of old) await this.samples.delete(itemId, rowKey);
    return old.length;
  }

  async *sampledItems(): AsyncIterable<{ itemId: string; projectId: string }> {
    for await (const row of this.index.partition(indexPartition)) yield { itemId: row.rowKey, ...row.value };
  }

  /** Forgets an item whose samples are all gone. */
  async forget(itemId: string): Promise<void> {
    await this.index.delete(indexPartition, itemId);
    this.indexed.delete(itemId);
    this.lastErrors.delete(itemId);
  }
}

export function createMetricStore(access: StorageAccess): MetricStore {
  return new MetricStore(
    new TableStore<MetricSampleRow>(tableClient(access, "FerryMetricSamples")),
    new TableStore<SampledItemRow>(tableClient(access, "FerryMetricItems")),
  );
}
