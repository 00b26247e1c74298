// The security suites' agent: a replicating item ready for delta batches, and signed requests that
// can be forged part by part (what is signed, what is sent, headers changed after signing).
import { randomBytes } from "node:crypto";
import type { AgentCredentials } from "../../agent/signedClient";
import { AgentCalls, batchBytes, setUpReplication, SourceImage, type Replication } from "./dataPathSetup";
import { signedHeaders, type ApiError, type ApiReply, type FerryApi } from "./ferryApi";

export interface Forgery {
  /** What the signature covers; each defaults to what is sent. */
  signedBody?: Buffer;
  signedPath?: string;
  signedMethod?: string;
  tweak?: { timestamp?: string; nonce?: string };
  /** Header changes made after signing; undefined removes the header. */
  after?: Record<string, string | undefined>;
  credentials?: AgentCredentials;
}

export interface SignedSend {
  method: string;
  path: string;
  body: Buffer;
  contentType: string;
}

/** Prepares a signed request, optionally forged; the returned `send` can be called more than once. */
export function forged(api: FerryApi, credentials: AgentCredentials, request: SignedSend, forgery: Forgery = {}) {
  const headers: Record<string, string | undefined> = {
    ...signedHeaders(
      forgery.credentials ?? credentials,
      forgery.signedMethod ?? request.method,
      api.url(forgery.signedPath ?? request.path),
      forgery.signedBody ?? request.body,
      forgery.tweak,
    ),
    "content-type": request.contentType,
    ...forgery.after,
  };
  const sent = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return (): Promise<ApiReply<ApiError>> =>
    api.request<ApiError>(request.method, request.path, { rawBody: request.body, headers: sent, authorization: null });
}

export interface DeltaItem extends Replication {
  agent: AgentCalls;
  image: SourceImage;
  /** The sequence the next batch of disk0 must carry. */
  next: number;
}

/** An item whose one disk (disk0) finished its first copy: batches from now on are staged deltas. */
export async function itemInDelta(api: FerryApi, sizeBytes = 2 * 1024 * 1024): Promise<DeltaItem> {
  const image = new SourceImage("disk0", sizeBytes);
  const r = await setUpReplication(api, [{ id: "disk0", sizeBytes, isBoot: true }]);
  const agent = new AgentCalls(api, r.credentials);
  const seed = await batchBytes(r.machineId, "disk0", 1, 1, image.extents());
  const seeded = await agent.putBatch(r.itemId, "disk0", 1, 1, seed);
  if (seeded.status !== 200) throw new Error(`The first copy was refused: ${seeded.text}`);
  const cycle = await agent.cycle(r.itemId, cycleBody([{ diskId: "disk0", sequence: 1 }], true));
  if (cycle.status !== 200) throw new Error(`The first cycle was refused: ${cycle.text}`);
  return { ...r, agent, image, next: 2 };
}

/** A cycle as the agent ends one. */
export function cycleBody(disks: { diskId: string; sequence: number }[], initialCopyComplete?: boolean) {
  return {
    cycleId: randomBytes(8).toString("hex"),
    sourceTime: new Date().toISOString(),
    type: "CrashConsistent",
    disks,
    ...(initialCopyComplete === undefined ? {} : { initialCopyComplete }),
  };
}

/** A small delta batch for disk0 at `sequence`: one 4 KiB extent of `fill` at `offset`. */
export function deltaBatch(item: DeltaItem, sequence: number, fill = 0xab, offset = 0): Promise<Buffer> {
  return batchBytes(item.machineId, "disk0", 1, sequence, [{ kind: "data", offset, data: Buffer.alloc(4096, fill) }]);
}

export function batchRoute(item: Pick<Replication, "machineId" | "itemId">, sequence: number, diskId = "disk0") {
  return `/agent/machines/${item.machineId}/items/${item.itemId}/disks/${diskId}/batches/1/${sequence}`;
}
