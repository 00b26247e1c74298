/**
 * How Ferry names what a failover creates. A test migration's VM carries the "-Test" suffix
 * (as Azure Migrate does) so it never collides with the VM a real migration creates later.
 */
export const testVmSuffix = "-Test";

export function targetVmName(name: string, test: boolean): string {
  return test ? `${name}${testVmSuffix}` : name;
}

/** A managed disk's name: the VM's name, then the source disk id ("web01-disk0"). */
export function targetDiskName(vmName: string, diskId: string): string {
  return `${vmName}-${diskId}`;
}

export function targetNicName(vmName: string): string {
  return `${vmName}-nic`;
}

/** Every target blob of one VM lives under this prefix, so a delete (or a sweep) finds them all. */
export function targetBlobPrefix(projectId: string, vmId: string): string {
  return `${projectId}/${vmId}/`;
}

export function targetBlobName(projectId: string, vmId: string, diskId: string): string {
  return `${targetBlobPrefix(projectId, vmId)}${diskId}.vhd`;
}

/**
 * A stand-in private address for the local provider, which has no real subnet to allocate
 * from: stable per VM, inside 10.0.0.0/8, skipping the 5 addresses Azure reserves per subnet.
 */
export function placeholderPrivateIp(vmId: string): string {
  let hash = 0;
  for (const char of vmId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `10.${(hash >>> 16) & 0xff}.${(hash >>> 8) & 0xff}.${4 + (hash % 250)}`;
}
