/**
 * A local backend that only drains and acknowledges: the agent's ceiling without storage.
 * Heartbeats answer Replicate until the initial copy's cycle arrives, then Stop.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { newId } from "../../shared/domain/ids";

const itemId = newId("item", new Date(), randomBytes);
const machineId = newId("machine", new Date(), randomBytes);

export interface Sink {
  url: string;
  bodyBytes: number;
  firstBatchAt?: number;
  copiedAt?: number;
  close(): Promise<void>;
}

export async function startSink(diskSizeBytes: number): Promise<Sink> {
  const next = new Map<string, number>();
  const sink: Sink = { url: "", bodyBytes: 0, close: async () => undefined };
  const server = http.createServer((request, response) => {
    void drain(request, sink).then(() => {
      const reply = route(request.method ?? "", request.url ?? "", sink, next, diskSizeBytes);
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  sink.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return sink;
}

function route(method: string, url: string, sink: Sink, next: Map<string, number>, sizeBytes: number): unknown {
  if (url.endsWith("/agent/register"))
    return { machineId, agentKey: `ak_${machineId}.benchsecretbenchsecretbenchsecret` };
  const batch = /\/disks\/([^/]+)\/batches\/\d+\/(\d+)$/.exec(url);
  if (method === "PUT" && batch) {
    sink.firstBatchAt ??= performance.now();
    next.set(batch[1] as string, Number(batch[2]) + 1);
    // A sink does not decode: any well-formed digest will do, the agent checks it only for duplicates.
    return { sequence: Number(batch[2]), sha256: "0".repeat(64), duplicate: false };
  }
  if (url.endsWith("/cycles")) {
    sink.copiedAt ??= performance.now();
    return { recoveryPointId: newId("recoveryPoint", new Date(), randomBytes) };
  }
  const action = sink.copiedAt === undefined ? "Replicate" : "Stop";
  const disks = [{ diskId: "disk0", sizeBytes, nextSequence: next.get("disk0") ?? 1, mode: "Initial" }];
  return {
    instructions: { action, itemId, epoch: 1, cycleIntervalSeconds: 3600, appConsistentIntervalSeconds: 0, disks },
  };
}

async function drain(request: http.IncomingMessage, sink: Sink): Promise<void> {
  for await (const chunk of request) sink.bodyBytes += (chunk as Buffer).length;
}
