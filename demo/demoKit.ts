import { createHash } from "node:crypto";
import { routes, type ProjectClient } from "../client";

/** Downloads a VM disk's VHD: the SHA-256 of its first `bytes` bytes (the disk itself) and its whole length. */
export async function diskDigest(
  project: ProjectClient,
  vmId: string,
  diskId: string,
  bytes: number,
): Promise<{ sha256: string; length: number }> {
  const params = { projectId: project.projectId, vmId, diskId };
  const response = await project.client.send(routes.getVirtualMachineDisk, { params });
  if (!response.body) throw new Error(`The download of ${vmId} ${diskId} had no body.`);
  const hash = createHash("sha256");
  let length = 0;
  for await (const chunk of response.body) {
    const data = Buffer.from(chunk as Uint8Array);
    const take = Math.max(0, Math.min(data.length, bytes - length));
    if (take > 0) hash.update(data.subarray(0, take));
    length += data.length;
  }
  return { sha256: hash.digest("hex"), length };
}

/** Polls until `check` returns a value. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
