/**
 * A counting relay in front of each of Azurite's services: the host is given a connection string
 * that names the relays, so every storage request it makes is counted, by service.
 */
import { connectionStringFor, type AzuriteEndpoints } from "../../devhost/azurite/embedded";
import { Relay } from "./relay";

export type StorageService = keyof AzuriteEndpoints;
export type StorageCounts = Record<StorageService, number>;

/** One storage request as its relay saw it (performance.now() ms). */
export interface StorageExchange {
  service: StorageService;
  url: string;
  startedAt: number;
  ms: number;
}

const services: StorageService[] = ["blob", "queue", "table"];

export const totalRequests = (counts: StorageCounts): number => counts.blob + counts.queue + counts.table;

export const countsBetween = (from: StorageCounts, to: StorageCounts): StorageCounts => ({
  blob: to.blob - from.blob,
  queue: to.queue - from.queue,
  table: to.table - from.table,
});

/** `service name`: the table, container or queue a request names (`table $batch` for a batch), after the account. */
export function resourceOf(service: StorageService, url: string): string {
  const segment = decodeURIComponent(url.split("?")[0]?.split("/")[2] ?? "");
  return `${service} ${segment.replace(/\(.*$/, "") || "(account)"}`;
}

export class StorageCounter {
  private constructor(
    private readonly counts: StorageCounts,
    /** Requests by `resourceOf`, so far. */
    readonly byResource: ReadonlyMap<string, number>,
    /** Every table request so far, for what heartbeats waited on. */
    readonly exchanges: readonly StorageExchange[],
    private readonly relays: Relay[],
    readonly connectionString: string,
  ) {}

  static async start(azurite: AzuriteEndpoints): Promise<StorageCounter> {
    const counts: StorageCounts = { blob: 0, queue: 0, table: 0 };
    const byResource = new Map<string, number>();
    const exchanges: StorageExchange[] = [];
    const relay = (service: StorageService) =>
      Relay.start(azurite[service], (exchange) => {
        counts[service] += 1;
        const resource = resourceOf(service, exchange.url);
        byResource.set(resource, (byResource.get(resource) ?? 0) + 1);
        if (service === "table")
          exchanges.push({ service, url: exchange.url, startedAt: exchange.startedAt, ms: exchange.ms });
      });
    const [blob, queue, table] = await Promise.all(services.map(relay));
    const endpoints = { blob: blob.origin, queue: queue.origin, table: table.origin };
    return new StorageCounter(counts, byResource, exchanges, [blob, queue, table], connectionStringFor(endpoints));
  }

  /** The requests counted so far, by service. */
  snapshot(): StorageCounts {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    await Promise.all(this.relays.map((relay) => relay.close()));
  }
}
