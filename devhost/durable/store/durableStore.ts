import { odata, TableClient, type TransactionAction } from "@azure/data-tables";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import type { HistoryEvent } from "../history/historyEvent";
import type { Episode } from "../runtime/episode";
import type { InstanceMeta } from "../runtime/instanceMeta";
import { statusCodeOf } from "./errors";
import { instanceEntity, metaOf, type Entity } from "./instanceRows";
import { packText, unpackText } from "./largeText";
import {
  blobPrefix,
  historyPrefix,
  historyRowKey,
  historyRowPrefix,
  hubLayout,
  inboxPrefix,
  inboxRowKey,
  instanceRowKey,
  partitionKeyOf,
} from "./layout";

/** A history row holds the events of one episode. */
interface EpisodeRecord {
  events: HistoryEvent[];
}

export interface InboxMessage {
  key: string;
  event: HistoryEvent;
}

export interface StoredInstance {
  meta: InstanceMeta;
  history: HistoryEvent[];
  inbox: InboxMessage[];
  /** History rows of earlier executions (continue-as-new), left to clean up. */
  staleRows: string[];
}

const historyChunks = 12;

/**
 * Instances, history and inbox of one task hub, in one table partitioned by instance, so one
 * batch commits an episode atomically. Texts too large for a row go to blobs, written first.
 */
export class DurableStore {
  private constructor(
    readonly table: TableClient,
    readonly container: ContainerClient,
  ) {}

  static create(connectionString: string, hubName: string): DurableStore {
    const layout = hubLayout(hubName);
    const options = { allowInsecureConnection: true };
    const table = TableClient.fromConnectionString(connectionString, layout.table, options);
    const container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(layout.container);
    return new DurableStore(table, container);
  }

  async ensure(): Promise<void> {
    await this.table.createTable();
    await this.container.createIfNotExists();
  }

  /** Inserts a new instance row; false when the id is taken. */
  async createInstance(meta: InstanceMeta): Promise<boolean> {
    try {
      await this.table.createEntity(await instanceEntity(this.container, meta, true));
      return true;
    } catch (error) {
      if (statusCodeOf(error) === 409) return false;
      throw error;
    }
  }

  async readInstance(instanceId: string): Promise<InstanceMeta | undefined> {
    try {
      return await metaOf(this.container, await this.table.getEntity(partitionKeyOf(instanceId), instanceRowKey));
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * One transaction for a group of episodes of one instance: their history rows, the
   * instance row as of the last, and the inbox rows they consumed. Blobs are written first.
   */
  async commitEpisodes(group: readonly Episode[]): Promise<void> {
    const last = group[group.length - 1].meta;
    const pk = partitionKeyOf(last.instanceId);
    const actions: TransactionAction[] = [];
    for (const episode of group) {
      if (episode.continuedAsNew) continue;
      const data = await packText(
        this.container,
        blobPrefix(last.instanceId),
        "Data",
        episode.eventsJson,
        historyChunks,
      );
      actions.push([
        "upsert",
        { partitionKey: pk, rowKey: historyRowKey(episode.meta.executionId, episode.meta.episodes - 1), ...data },
        "Replace",
      ]);
    }
    actions.push([
      "upsert",
      await instanceEntity(
        this.container,
        last,
        group.some((e) => e.continuedAsNew),
      ),
      "Merge",
    ]);
    for (const key of group.flatMap((e) => e.consumed)) actions.push(["delete", { partitionKey: pk, rowKey: key }]);
    if (actions.length > 100)
      throw new Error(`A commit of "${last.instanceId}" needs ${actions.length} table operations; a batch holds 100.`);
    await this.table.submitTransaction(actions);
  }

  async addInbox(instanceId: string, event: HistoryEvent): Promise<string> {
    const key = inboxRowKey();
    const data = await packText(this.container, blobPrefix(instanceId), "Data", JSON.stringify(event), historyChunks);
    await this.table.createEntity({ partitionKey: partitionKeyOf(instanceId), rowKey: key, ...data });
    return key;
  }

  /** Everything a restart needs to resume one instance. */
  async loadInstance(instanceId: string): Promise<StoredInstance | undefined> {
    const rows: Entity[] = [];
    const filter = odata`PartitionKey eq ${partitionKeyOf(instanceId)}`;
    for await (const row of this.table.listEntities<Entity>({ queryOptions: { filter } })) rows.push(row);
    const instanceRow = rows.find((r) => r.rowKey === instanceRowKey);
    if (!instanceRow) return undefined;
    const meta = await metaOf(this.container, instanceRow);
    const current = historyRowPrefix(meta.executionId);
    const history: HistoryEvent[] = [];
    const inbox: InboxMessage[] = [];
    const staleRows: string[] = [];
    for (const row of rows.sort((a, b) => (a.rowKey < b.rowKey ? -1 : 1))) {
      if (row.rowKey.startsWith(current)) {
        if (Number(row.rowKey.slice(current.length)) < meta.episodes)
          history.push(...(JSON.parse(await this.text(row)) as EpisodeRecord).events);
      } else if (row.rowKey.startsWith(historyPrefix)) staleRows.push(row.rowKey);
      else if (row.rowKey.startsWith(inboxPrefix))
        inbox.push({ key: row.rowKey, event: JSON.parse(await this.text(row)) as HistoryEvent });
    }
    return { meta, history, inbox, staleRows };
  }

  private async text(row: Entity): Promise<string> {
    return (await unpackText(this.container, row, "Data")) ?? "null";
  }

  /** Deletes rows of one partition, 100 to a batch. */
  async deleteRows(instanceId: string, rowKeys: string[]): Promise<void> {
    const pk = partitionKeyOf(instanceId);
    for (let i = 0; i < rowKeys.length; i += 100) {
      await this.table.submitTransaction(
        rowKeys.slice(i, i + 100).map((rowKey): TransactionAction => ["delete", { partitionKey: pk, rowKey }]),
      );
    }
  }

  /** Removes an instance: rows first (so nothing points at a missing blob), then its blobs. */
  async purge(instanceId: string): Promise<void> {
    const keys: string[] = [];
    const filter = odata`PartitionKey eq ${partitionKeyOf(instanceId)}`;
    for await (const row of this.table.listEntities<Entity>({ queryOptions: { filter, select: ["RowKey"] } }))
      keys.push(row.rowKey);
    // The instance row goes last: until then a crashed purge is still visible and can be retried.
    await this.deleteRows(
      instanceId,
      keys.filter((k) => k !== instanceRowKey),
    );
    if (keys.includes(instanceRowKey)) await this.deleteRows(instanceId, [instanceRowKey]);
    for await (const blob of this.container.listBlobsFlat({ prefix: blobPrefix(instanceId) }))
      await this.container.deleteBlob(blob.name);
  }
}
