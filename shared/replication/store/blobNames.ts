/**
 * Where the data path keeps blobs (docs/data-path.md, "What is stored"): one container per
 * project, replicas and staged batches under names derived from ids. Container names allow
 * only lowercase letters, digits and single '-', so the id's '_' becomes '-'.
 */
import type { BlobRef } from "../../storage/blobContainers";

export function projectContainer(projectId: string): string {
  return `ferry-${projectId.replace(/_/g, "-")}`;
}

export function replicaRef(projectId: string, itemId: string, diskId: string): BlobRef {
  return { container: projectContainer(projectId), name: `replicas/${itemId}/${diskId}.vhd` };
}

export function replicaPrefix(itemId: string): string {
  return `replicas/${itemId}/`;
}

export function cachePrefix(itemId: string): string {
  return `cache/${itemId}/`;
}

/** A staged batch; the attempt suffix keeps a retry from touching a concurrent attempt's blocks. */
export function stagedRef(
  projectId: string,
  itemId: string,
  diskId: string,
  epoch: number,
  sequence: number,
  attempt: string,
): BlobRef {
  return {
    container: projectContainer(projectId),
    name: `${cachePrefix(itemId)}${diskId}/${epoch}/${String(sequence).padStart(12, "0")}-${attempt}`,
  };
}
