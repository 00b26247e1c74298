// The security suites' "nothing changed" check must see every kind of change it claims to see.
import { randomBytes } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { changesBetween, rowsMentioning, StateWatch, takeSnapshot } from "../support/stateSnapshot";

const storage = inject("storageConnectionString");
const id = `prj_${randomBytes(13).toString("hex").slice(0, 26)}`;
const container = BlobServiceClient.fromConnectionString(storage).getContainerClient(`ferry-${id.replace("_", "-")}`);
const table = TableClient.fromConnectionString(storage, "FerryProjects", { allowInsecureConnection: true });
const nonces = TableClient.fromConnectionString(storage, "FerryNonces", { allowInsecureConnection: true });

beforeAll(async () => {
  await table.createTable();
  await nonces.createTable();
  await container.createIfNotExists();
});

describe("a state snapshot", () => {
  it("sees a row added, a field changed and a row removed, and names each", async () => {
    const watch = new StateWatch(storage, [id]);
    const empty = await watch.snapshot();
    await table.createEntity({ partitionKey: "project", rowKey: id, name: "a" });
    const one = await watch.snapshot();
    expect(changesBetween(empty, one)).toEqual([`added row FerryProjects project ${id}: {"name":"a"}`]);
    await table.updateEntity({ partitionKey: "project", rowKey: id, name: "b" }, "Merge");
    expect(await watch.changesSince(one)).toEqual([`changed row FerryProjects project ${id} name: "a" → "b"`]);
    await table.deleteEntity("project", id);
    expect(await watch.changesSince(one)).toEqual([`removed row FerryProjects project ${id}`]);
  });

  it("sees a replica's bytes change, a snapshot taken and metadata set, in a container named by the id", async () => {
    const watch = new StateWatch(storage, [id], { replicaBytes: true });
    const page = container.getPageBlobClient("replicas/itm/disk0.vhd");
    await page.create(8192);
    const before = await watch.snapshot();
    await page.uploadPages(Buffer.alloc(512, 0xee), 0, 512);
    const written = await watch.changesSince(before);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^changed blob .*replicas\/itm\/disk0\.vhd: etag .* sha256 [0-9a-f]{64}/);
    const again = await watch.snapshot();
    await page.createSnapshot();
    await page.setMetadata({ owner: "x" });
    const changes = await watch.changesSince(again);
    expect(changes.map((c) => c.split(":")[0].replace(/@.*/, "@snapshot"))).toEqual([
      expect.stringMatching(/^added blob .*disk0\.vhd@snapshot$/),
      expect.stringMatching(/^changed blob .*disk0\.vhd$/),
    ]);
  });

  it("leaves out rows and blobs that mention nothing it watches", async () => {
    const other = `prj_${randomBytes(13).toString("hex").slice(0, 26)}`;
    const before = await takeSnapshot(storage, [id]);
    await table.createEntity({ partitionKey: "project", rowKey: other, name: "elsewhere" });
    expect(changesBetween(before, await takeSnapshot(storage, [id]))).toEqual([]);
    expect(await rowsMentioning(storage, [other])).toEqual([`row FerryProjects project ${other} {"name":"elsewhere"}`]);
  });

  it("ignores a nonce pruned past the signature window, and no other nonce", async () => {
    const machine = `mch_${randomBytes(13).toString("hex").slice(0, 26)}`;
    const watch = new StateWatch(storage, [machine]);
    const old = new Date(Date.now() - 7 * 60_000).toISOString();
    await nonces.createEntity({ partitionKey: machine, rowKey: "old-nonce-0000000", seenAt: old });
    await nonces.createEntity({ partitionKey: machine, rowKey: "new-nonce-0000000", seenAt: new Date().toISOString() });
    const before = await watch.snapshot();
    await nonces.deleteEntity(machine, "old-nonce-0000000");
    await nonces.deleteEntity(machine, "new-nonce-0000000");
    expect(await watch.changesSince(before)).toEqual([`removed row FerryNonces ${machine} new-nonce-0000000`]);
  });

  it("lets a refused signed request leave its own machine's nonce, and nothing else", async () => {
    const machine = `mch_${randomBytes(13).toString("hex").slice(0, 26)}`;
    const other = `mch_${randomBytes(13).toString("hex").slice(0, 26)}`;
    const watch = new StateWatch(storage, [machine, other]);
    const seenAt = new Date().toISOString();
    await watch.unchanged(() => nonces.createEntity({ partitionKey: machine, rowKey: "own-nonce-000000", seenAt }), {
      signedBy: machine,
    });
    await expect(
      watch.unchanged(() => nonces.createEntity({ partitionKey: other, rowKey: "its-nonce-000000", seenAt }), {
        signedBy: machine,
      }),
    ).rejects.toThrow(/storage changed/);
  });
});
