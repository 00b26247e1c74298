// Threats: bodies built to hurt — oversized JSON and batches, decompression bombs, batches that lie about
// their lengths or end early, malformed JSON, the wrong content type. Each is refused with its status and
// code before anything lands: no row, no staged batch, no byte of the replica changes.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CODEC, EXTENT_KIND, lz4Codec } from "../../shared/replication/wire";
import { batchRoute, deltaBatch, forged, itemInDelta, type DeltaItem } from "../support/agentForgery";
import { signedHeaders, startFerry, type ApiError, type RunningFerry } from "../support/ferryApi";
import { handBatch, handHeader, type HandExtent } from "../support/handBatch";
import { refusal } from "../support/refusals";
import { StateWatch } from "../support/stateSnapshot";

const storage = inject("storageConnectionString");
const MiB = 1024 * 1024;
const maxJsonBodyBytes = 256 * 1024;
let ferry: RunningFerry;
let item: DeltaItem;
let watch: StateWatch;
beforeAll(async () => {
  ferry = await startFerry(storage);
  // Larger than one extent may be, so an extent can be too long without ending beyond the disk.
  item = await itemInDelta(ferry.api, 6 * MiB);
  watch = new StateWatch(storage, [item.projectId, item.machineId, item.itemId], { replicaBytes: true });
});
afterAll(async () => {
  await ferry?.stop();
});

const signedBy = () => ({ signedBy: item.machineId });
const heartbeatPath = () => `/agent/machines/${item.machineId}/heartbeat`;

function agentSends(method: string, path: string, body: Buffer, contentType: string) {
  return forged(ferry.api, item.credentials, { method, path, body, contentType })();
}

const putBatch = (body: Buffer, contentType = "application/octet-stream") =>
  agentSends("PUT", batchRoute(item, item.next), body, contentType);

const handMade = (extents: HandExtent[]) => handBatch(handHeader(item.machineId, item.next), extents);

/** Sends headers declaring `declared` bytes and a first slice of them; resolves with the answer. */
function declaredUpload(path: string, declared: number, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(ferry.api.url(path), {
      method: "PUT",
      headers: { ...headers, "content-length": String(declared) },
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body });
        req.destroy();
      });
    });
    req.on("error", reject);
    req.write(Buffer.alloc(64 * 1024));
  });
}

describe("oversized bodies", () => {
  it("over the JSON limit are refused with 413 PayloadTooLarge, declared or streamed", async () => {
    const name = `huge-${item.projectId}`;
    const big = JSON.stringify({
      name: name + "x".repeat(maxJsonBodyBytes),
      geography: "Europe",
      targetRegion: "westeurope",
    });
    await watch.add(name).unchanged(async () => {
      expect(refusal(await ferry.api.request<ApiError>("POST", "/projects", { rawBody: big }))).toEqual([
        413,
        "PayloadTooLarge",
      ]);
      const streamed = await fetch(ferry.api.url("/projects"), {
        method: "POST",
        body: new Blob([big]).stream(),
        duplex: "half",
        headers: { authorization: `Bearer ${ferry.api.operatorKey}`, "content-type": "application/json" },
      } as RequestInit & { duplex: "half" });
      expect(streamed.status).toBe(413);
      expect(((await streamed.json()) as ApiError).error.code).toBe("PayloadTooLarge");
    });
  });

  it("signed by the agent over the JSON limit are refused with 413 PayloadTooLarge", async () => {
    const padded = Buffer.from(
      JSON.stringify({ figures: { bytesSent: 0, bytesPerSecond: 0, backlogBytes: 0 } }) + " ".repeat(maxJsonBodyBytes),
    );
    await watch.unchanged(async () => {
      expect(refusal(await agentSends("POST", heartbeatPath(), padded, "application/json"))).toEqual([
        413,
        "PayloadTooLarge",
      ]);
    });
  });

  it("a change batch declaring more than the host takes is refused with 413 before its body is read", async () => {
    // Signed as the agent signs; the body is never sent whole, so a small batch's digest does.
    const url = ferry.api.url(batchRoute(item, item.next));
    const signed = signedHeaders(item.credentials, "PUT", url, await deltaBatch(item, item.next));
    const headers = { ...signed, "content-type": "application/octet-stream" };
    await watch.unchanged(async () => {
      const reply = await declaredUpload(batchRoute(item, item.next), 200 * MiB, headers);
      expect([reply.status, (JSON.parse(reply.body) as ApiError).error.code]).toEqual([413, "PayloadTooLarge"]);
    });
  });
});

describe("decompression bombs", () => {
  it("an LZ4 extent claiming more than an extent may hold is refused with 413 ExtentTooLarge", async () => {
    const stored = lz4Codec.compress(Buffer.alloc(64 * 1024));
    const batch = handMade([{ codec: CODEC.lz4, offset: 0, length: 5 * MiB, stored, dataCrc: 0 }]);
    await watch.unchanged(async () => {
      expect(refusal(await putBatch(batch))).toEqual([413, "ExtentTooLarge"]);
    }, signedBy());
  });

  it("an LZ4 extent whose size prefix claims 4 GiB is refused with 400 ExtentChecksumMismatch", async () => {
    const stored = Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.alloc(60, 0x11)]);
    const batch = handMade([{ codec: CODEC.lz4, offset: 0, length: 4096, stored, dataCrc: 0 }]);
    await watch.unchanged(async () => {
      expect(refusal(await putBatch(batch))).toEqual([400, "ExtentChecksumMismatch"]);
    }, signedBy());
  });

  it("an LZ4 extent that expands past its stated length is refused with 400 ExtentChecksumMismatch", async () => {
    // 4 MiB of zeros in a few KiB, relabelled as 64 KiB: decoding it must stop at what the record states.
    const stored = lz4Codec.compress(Buffer.alloc(4 * MiB));
    stored.writeUInt32LE(64 * 1024, 0);
    const batch = handMade([{ codec: CODEC.lz4, offset: 0, length: 64 * 1024, stored, dataCrc: 0 }]);
    await watch.unchanged(async () => {
      expect(refusal(await putBatch(batch))).toEqual([400, "ExtentChecksumMismatch"]);
    }, signedBy());
  });

  it("a zero run reaching past the disk is refused with 400 ExtentBeyondDisk", async () => {
    const batch = handMade([{ kind: EXTENT_KIND.zero, offset: 0, length: 2 ** 50 }]);
    await watch.unchanged(async () => {
      expect(refusal(await putBatch(batch))).toEqual([400, "ExtentBeyondDisk"]);
    }, signedBy());
  });

  it("extents that overlap to count the same bytes twice are refused with 400 ExtentsOutOfOrder", async () => {
    const data = Buffer.alloc(4096, 0xee);
    const batch = handMade([
      { offset: 0, length: 4096, stored: data },
      { offset: 2048, length: 4096, stored: data },
    ]);
    await watch.unchanged(async () => {
      expect(refusal(await putBatch(batch))).toEqual([400, "ExtentsOutOfOrder"]);
    }, signedBy());
  });
});

describe("broken batches", () => {
  it("a batch cut short, mid-extent or before its trailer, is refused with 400 BatchTruncated", async () => {
    const whole = await deltaBatch(item, item.next, 0xee);
    await watch.unchanged(async () => {
      for (const cut of [whole.length - 4096, whole.length - 1]) {
        expect([cut, ...refusal(await putBatch(whole.subarray(0, cut)))]).toEqual([cut, 400, "BatchTruncated"]);
      }
    }, signedBy());
  });

  it("a batch whose end record disagrees with its extents is refused with 400 BatchMalformed", async () => {
    const extents = [{ offset: 0, length: 4096, stored: Buffer.alloc(4096, 0xee) }];
    const lying = handBatch(handHeader(item.machineId, item.next), extents, 8192);
    await watch.unchanged(async () => {
      expect(refusal(await putBatch(lying))).toEqual([400, "BatchMalformed"]);
    }, signedBy());
  });

  it("a body that is not a change batch is refused with 400 BatchBadMagic", async () => {
    await watch.unchanged(async () => {
      const json = Buffer.from(JSON.stringify({ extents: [{ offset: 0, data: "x".repeat(4096) }] }));
      expect(refusal(await putBatch(json))).toEqual([400, "BatchBadMagic"]);
    }, signedBy());
  });
});

describe("malformed JSON and the wrong content type", () => {
  it("malformed JSON is refused with 400 InvalidJson, from an operator and from an agent", async () => {
    await watch.unchanged(async () => {
      for (const text of ['{"name": "x", ', "", "nul", "{'name': 'x'}"]) {
        const reply = await ferry.api.request<ApiError>("POST", "/projects", { rawBody: text });
        expect([text, ...refusal(reply)]).toEqual([text, 400, "InvalidJson"]);
      }
      const beat = await agentSends("POST", heartbeatPath(), Buffer.from('{"figures": '), "application/json");
      expect(refusal(beat)).toEqual([400, "InvalidJson"]);
    }, signedBy());
  });

  it("a body of another content type is refused with 415 UnsupportedMediaType", async () => {
    const json = Buffer.from(JSON.stringify({ figures: { bytesSent: 0, bytesPerSecond: 0, backlogBytes: 0 } }));
    await watch.unchanged(async () => {
      const project = JSON.stringify({ name: "x", geography: "Europe", targetRegion: "westeurope" });
      for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
        const reply = await ferry.api.request<ApiError>("POST", "/projects", {
          rawBody: project,
          headers: { "content-type": type },
        });
        expect([type, ...refusal(reply)]).toEqual([type, 415, "UnsupportedMediaType"]);
      }
      expect(refusal(await agentSends("POST", heartbeatPath(), json, "text/plain"))).toEqual([
        415,
        "UnsupportedMediaType",
      ]);
      const batch = await deltaBatch(item, item.next, 0xee);
      expect(refusal(await putBatch(batch, "application/json"))).toEqual([415, "UnsupportedMediaType"]);
    }, signedBy());
  });
});
