import { errors } from "./errors";
import { fail, ok, type Result } from "./result";
import { vmSizeCatalog, type VmSize } from "./vmSizeCatalog";

/** What the source machine needs: its cores, memory and data disks (the OS disk is not a data disk). */
export interface SizingNeeds {
  readonly cpus: number;
  readonly memoryMiB: number;
  readonly dataDiskCount: number;
  /** Any Premium_LRS disk needs a size that supports premium storage. */
  readonly premium?: boolean;
}

function fits(size: VmSize, needs: SizingNeeds): boolean {
  return (
    size.vCpus >= needs.cpus &&
    size.memoryGiB * 1024 >= needs.memoryMiB &&
    size.maxDataDisks >= needs.dataDiskCount &&
    (needs.premium !== true || size.premiumStorage)
  );
}

/** Cost proxy: fewer vCPUs, then less memory, then the name so the choice never depends on catalog order. */
function cheaperFirst(a: VmSize, b: VmSize): number {
  return a.vCpus - b.vCpus || a.memoryGiB - b.memoryGiB || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

function describeNeeds(needs: SizingNeeds): string {
  const memoryGiB = Math.ceil((needs.memoryMiB / 1024) * 10) / 10;
  const premium = needs.premium === true ? " with premium storage" : "";
  return `${needs.cpus} vCPUs, ${memoryGiB} GiB memory and ${needs.dataDiskCount} data disks${premium}`;
}

/** Azure Migrate's "closest match": the smallest size that meets or exceeds every need. */
export function closestVmSize(needs: SizingNeeds, catalog: readonly VmSize[] = vmSizeCatalog): Result<VmSize> {
  const best = catalog.filter((size) => fits(size, needs)).sort(cheaperFirst)[0];
  if (best === undefined) {
    return fail(
      errors.noMatchingVmSize(
        `No VM size in the catalog offers ${describeNeeds(needs)}; ` +
          "choose target.vmSize explicitly or reduce the disks included.",
      ),
    );
  }
  return ok(best);
}

/** Looks a size up by name; Azure treats size names case-insensitively, so does this. */
export function findVmSize(name: string, catalog: readonly VmSize[] = vmSizeCatalog): Result<VmSize> {
  const size = catalog.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
  if (size === undefined)
    return fail(
      errors.invalidInput(`'${name}' is not a VM size Ferry knows (for example Standard_D2s_v5).`, "target.vmSize"),
    );
  return ok(size);
}

/**
 * The size a replication will use: "auto" (or nothing) picks the closest match; an explicit name
 * must exist and must be able to attach the disks (smaller cores or memory are the operator's call).
 */
export function resolveVmSize(
  requested: string | undefined,
  needs: SizingNeeds,
  catalog: readonly VmSize[] = vmSizeCatalog,
): Result<VmSize> {
  if (requested === undefined || requested === "auto") return closestVmSize(needs, catalog);
  const found = findVmSize(requested, catalog);
  if (!found.ok) return found;
  const size = found.value;
  if (size.maxDataDisks < needs.dataDiskCount) {
    return fail(
      errors.invalidInput(
        `${size.name} attaches at most ${size.maxDataDisks} data disks; ${needs.dataDiskCount} are included.`,
        "target.vmSize",
      ),
    );
  }
  if (needs.premium === true && !size.premiumStorage) {
    return fail(
      errors.invalidInput(
        `${size.name} does not support premium storage; choose another size or disk type.`,
        "target.vmSize",
      ),
    );
  }
  return ok(size);
}
