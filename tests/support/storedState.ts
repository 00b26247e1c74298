/**
 * What Ferry keeps in storage for one item, read straight from Azurite with the real SDKs, so a
 * test can compare it before and after a refused request: table rows, the replica's bytes, the
 * committed cache blobs.
 */
import { createHash } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";

const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const container = (projectId: string) => `ferry-${projectId.replace(/_/g, "-")}`;

export class StoredState {
  constructor(private readonly connectionString: string) {}

  table(name: string): TableClient {
    return TableClient.fromConnectionString(this.connectionString, name, { allowInsecureConnection: true });
  }

  /** Every row of one partition, without the storage timestamps and ETags that change on any write. */
  async rows(table: string, partitionKey: string): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    const filter = `PartitionKey eq '${partitionKey}'`;
    for await (const row of this.table(table).listEntities({ queryOptions: { filter } })) {
      const { etag: _etag, timestamp: _timestamp, ...rest } = row as Record<string, unknown>;
      rows.push(rest);
    }
    return rows;
  }

  async row(table: string, partitionKey: string, rowKey: string): Promise<Record<string, unknown> | undefined> {
    return (await this.rows(table, partitionKey)).find((row) => row.rowKey === rowKey);
  }

  /** The replica's bytes in [start, start + length) (the whole blob when no range is given). */
  async replicaBytes(projectId: string, itemId: string, diskId: string, start = 0, length?: number): Promise<Buffer> {
    const blob = BlobServiceClient.fromConnectionString(this.connectionString)
      .getContainerClient(container(projectId))
      .getPageBlobClient(`replicas/${itemId}/${diskId}.vhd`);
    return blob.downloadToBuffer(start, length);
  }

  async replicaSha(projectId: string, itemId: string, diskId: string, start = 0, length?: number): Promise<string> {
    return sha(await this.replicaBytes(projectId, itemId, diskId, start, length));
  }

  /** Names of the committed (visible) blobs under the item's cache prefix. */
  async cacheBlobs(projectId: string, itemId: string): Promise<string[]> {
    const names: string[] = [];
    const blobs = BlobServiceClient.fromConnectionString(this.connectionString).getContainerClient(
      container(projectId),
    );
    for await (const blob of blobs.listBlobsFlat({ prefix: `cache/${itemId}/` })) names.push(blob.name);
    return names;
  }

  /** The item's rows that a batch or a cycle may change: the item, its disk cursors and its recovery points. */
  async itemRows(projectId: string, itemId: string) {
    return {
      item: await this.row("FerryItems", projectId, itemId),
      cursors: await this.rows("FerryDiskCursors", itemId),
      points: await this.rows("FerryRecoveryPoints", itemId),
    };
  }
}
