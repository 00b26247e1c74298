/**
 * Replay protection for signed agent requests: each request's nonce is recorded once, keyed by
 * the minute of its signed timestamp, and kept only while a request with that timestamp could
 * still pass the signature window. A replay carries the same signed timestamp, so it meets its
 * nonce in the same minute's partition; once the window has passed that minute, the signature
 * check refuses the request on its own and the minute's rows are deleted.
 */
import { errors, isFerryError } from "../domain/errors";
import { signatureWindowMs } from "../security/agentSignature";
import type { ControlPlaneDeps } from "./deps";

const BUCKET_MS = 60_000;
/** Hosts' clocks may differ a little: a row is kept this much longer than its own host needs it. */
const CLOCK_MARGIN_MS = 60_000;

/** `t<minute, 10 digits>.<machine>`: partitions sort by minute, so expired ones are one range. */
const bucketKey = (bucket: number) => `t${String(bucket).padStart(10, "0")}`;
const partitionOf = (machineId: string, timestampMs: number) =>
  `${bucketKey(Math.floor(timestampMs / BUCKET_MS))}.${machineId}`;

/** Records a nonce under the request's signed timestamp; a nonce seen before means a replayed request. */
export async function recordNonce(
  deps: Pick<ControlPlaneDeps, "stores" | "now">,
  machineId: string,
  request: { nonce: string; timestamp: string },
): Promise<void> {
  try {
    await deps.stores.nonces.insert(partitionOf(machineId, Number(request.timestamp)), request.nonce, {
      seenAt: deps.now().toISOString(),
    });
  } catch (error) {
    if (isFerryError(error) && error.code === "AlreadyExists") throw errors.replayedRequest();
    throw error;
  }
}

/**
 * Deletes the nonces no request can replay any more: every minute whose last timestamp is past
 * the signature window (and the margin). Rows of the earlier layout (partition = machine id)
 * sort before every minute and go with them. Returns how many rows were deleted.
 */
export async function pruneNonces(deps: Pick<ControlPlaneDeps, "stores" | "now">): Promise<number> {
  await deps.stores.ready();
  const firstKept = Math.floor((deps.now().getTime() - signatureWindowMs - CLOCK_MARGIN_MS) / BUCKET_MS);
  const expired = new Map<string, string[]>();
  for await (const key of deps.stores.nonces.keysBefore(bucketKey(firstKept)))
    expired.set(key.partitionKey, [...(expired.get(key.partitionKey) ?? []), key.rowKey]);
  let deleted = 0;
  for (const [partitionKey, rowKeys] of expired) {
    await deps.stores.nonces.deleteMany(partitionKey, rowKeys);
    deleted += rowKeys.length;
  }
  return deleted;
}
