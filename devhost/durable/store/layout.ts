/** Where one task hub lives in storage. Hub names are alphanumeric (as the extension requires). */
export interface HubLayout {
  table: string;
  container: string;
}

export function hubLayout(hubName: string): HubLayout {
  if (!/^[A-Za-z][A-Za-z0-9]{2,44}$/.test(hubName)) {
    throw new Error(`Task hub name "${hubName}" is invalid: use 3-45 letters and digits, starting with a letter.`);
  }
  return { table: `${hubName}Durable`, container: `${hubName.toLowerCase()}-durable-payloads` };
}

export const instanceRowKey = "instance";
export const historyPrefix = "h:";
export const inboxPrefix = "m:";

/** Table keys refuse / \ # ? and control characters: percent-encoding removes them all. */
export function partitionKeyOf(instanceId: string): string {
  return encodeURIComponent(instanceId);
}

export function historyRowKey(executionId: string, episode: number): string {
  return `${historyPrefix}${executionId}:${String(episode).padStart(8, "0")}`;
}

export function historyRowPrefix(executionId: string): string {
  return `${historyPrefix}${executionId}:`;
}

let inboxCounter = 0;

/** Inbox keys sort in arrival order within this process. */
export function inboxRowKey(now = Date.now()): string {
  inboxCounter = (inboxCounter + 1) % 1_000_000;
  return (
    `${inboxPrefix}${String(now).padStart(15, "0")}:${String(inboxCounter).padStart(6, "0")}:` +
    `${Math.random().toString(36).slice(2, 8)}`
  );
}

/** Blob names for one instance share its prefix, so purging removes them together. */
export function blobPrefix(instanceId: string): string {
  return `${partitionKeyOf(instanceId)}/`;
}
