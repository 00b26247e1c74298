/**
 * Fault proxies in front of an Azurite's blob, queue and table endpoints, and the connection
 * string that reaches them: a host given it talks to Azurite through a real HTTP hop the test
 * can fail, count, stall or cut at any storage call.
 */
import { connectionStringFor, type AzuriteEndpoints } from "../../devhost/azurite/embedded";
import { FaultProxy, type ArmedRule, type FaultRule } from "./faultProxy";

const services = ["blob", "queue", "table"] as const;
export type StorageService = (typeof services)[number];

/** Each service's origin (http://host:port) from an Azurite connection string. */
export function endpointsOf(connectionString: string): AzuriteEndpoints {
  const field = (name: string) => {
    const found = connectionString.match(new RegExp(`${name}=([^;]+)`));
    if (!found) throw new Error(`The connection string has no ${name}.`);
    return new URL(found[1]!).origin;
  };
  return { blob: field("BlobEndpoint"), queue: field("QueueEndpoint"), table: field("TableEndpoint") };
}

export class StorageFaults {
  private constructor(readonly proxies: Record<StorageService, FaultProxy>) {}

  static async start(connectionString: string): Promise<StorageFaults> {
    const endpoints = endpointsOf(connectionString);
    const [blob, queue, table] = await Promise.all(services.map((s) => FaultProxy.start(endpoints[s])));
    return new StorageFaults({ blob: blob!, queue: queue!, table: table! });
  }

  get blob(): FaultProxy {
    return this.proxies.blob;
  }

  get table(): FaultProxy {
    return this.proxies.table;
  }

  /** What a host uses to reach storage through the proxies. */
  get connectionString(): string {
    return connectionStringFor({
      blob: this.proxies.blob.origin,
      queue: this.proxies.queue.origin,
      table: this.proxies.table.origin,
    });
  }

  add(service: StorageService, rule: FaultRule): ArmedRule {
    return this.proxies[service].add(rule);
  }

  /** Storage moved (a restarted Azurite on new ports): forward there from now on. */
  retarget(connectionString: string): void {
    const endpoints = endpointsOf(connectionString);
    for (const s of services) this.proxies[s].retarget(endpoints[s]);
  }

  /** Resets every connection to storage and refuses new ones until healed (or heals). */
  cut(on: boolean): void {
    for (const s of services) this.proxies[s].partition(on ? "refuse" : undefined);
  }

  async close(): Promise<void> {
    await Promise.all(services.map((s) => this.proxies[s].close()));
  }
}

/** Table requests on one entity or table, by the table's name: `FerryDiskCursors`, `FerryRecoveryPoints`... */
export const tablePath = (table: string) => new RegExp(`/devstoreaccount1/${table}(\\(|\\?|$)`);
