/**
 * Short-lived download links for one disk of a created VM: minted by an operator, opened by
 * anyone holding the link until it expires (a browser download cannot send the operator key).
 */
import type { DownloadLink } from "../api/diskDownloads";
import { getProject } from "../controlPlane/projects";
import type { ByteRangeRequest } from "../domain/byteRange";
import { errors } from "../domain/errors";
import { idPatterns } from "../domain/ids";
import { downloadSigningKey, readDownloadToken, signDownloadToken } from "../security/downloadTokens";
import type { DiskStream } from "./targetProvider";
import { getVirtualMachine, openVirtualMachineDisk, type TargetVmDeps } from "./virtualMachines";

export const downloadLinkMinutes = 15;

export interface DownloadDeps extends TargetVmDeps {
  dataKeys: { forProject(projectId: string): Promise<Buffer> };
}

/** A link to `diskId` of the VM, under `origin` (where the request came in), valid 15 minutes. */
export async function createDownloadLink(
  deps: DownloadDeps,
  projectId: string,
  vmId: string,
  diskId: string,
  origin: string,
): Promise<DownloadLink> {
  const vm = await getVirtualMachine(deps, projectId, vmId);
  if (!vm.disks.some((disk) => disk.diskId === diskId)) throw errors.notFound("Disk", diskId.slice(0, 64));
  const expiresAt = new Date(deps.now().getTime() + downloadLinkMinutes * 60_000);
  const key = downloadSigningKey(await deps.dataKeys.forProject(projectId));
  const token = signDownloadToken(key, { projectId, vmId, diskId, expiresAt });
  return { url: new URL(`/api/disk-downloads/${token}`, origin).toString(), expiresAt: expiresAt.toISOString() };
}

export interface OpenedDownload {
  diskId: string;
  disk: DiskStream;
}

/** The disk a token opens, after its signature and expiry are checked. */
export async function openDownload(
  deps: DownloadDeps,
  token: string,
  range?: ByteRangeRequest,
): Promise<OpenedDownload> {
  const read = readDownloadToken(token);
  if (!read || !idPatterns.project.test(read.claim.projectId)) throw errors.invalidDownloadLink();
  const { projectId, vmId, diskId, expiresAt } = read.claim;
  // A forged token naming a project that does not exist must not create that project's data key.
  await getProject(deps, projectId).catch(() => {
    throw errors.invalidDownloadLink();
  });
  const key = await deps.dataKeys.forProject(projectId);
  if (!read.signedWith(downloadSigningKey(key))) throw errors.invalidDownloadLink();
  if (expiresAt.getTime() <= deps.now().getTime()) throw errors.downloadLinkExpired();
  return { diskId, disk: await openVirtualMachineDisk(deps, projectId, vmId, diskId, range) };
}
