import type { z } from "zod";
import type { targetDiskSettings } from "../../shared/api/replications";
import { routes } from "../../shared/api/routes";
import { defaultDiskType, diskTypes, type DiskType } from "../../shared/domain/targetDisks";
import { UsageError } from "../cliErrors";
import type { Invocation } from "../commandKit";
import { followJob } from "../jobFollow";
import { resolveMachine, resolvePolicy } from "../lookups";
import { note } from "../output";
import { Session } from "../session";

interface ReplicateOptions {
  policy: string;
  resourceGroup: string;
  network: string;
  subnet: string;
  vmSize?: string;
  vmName?: string;
  osDisk?: string;
  excludeDisk?: string[];
  diskType?: string[];
  availabilitySet?: string;
  hybridBenefit?: boolean;
  wait: boolean;
}

type DiskSetting = z.input<typeof targetDiskSettings>;

function diskTypeOf(text: string): [string, DiskType] {
  const match = /^([^=]+)=(.+)$/.exec(text);
  const type = diskTypes.find((t) => t.toLowerCase() === match?.[2].toLowerCase());
  if (!match || !type) {
    throw new UsageError(`--disk-type wants DISK=TYPE with TYPE one of ${diskTypes.join(", ")}; got "${text}".`);
  }
  return [match[1], type];
}

/** Per-disk settings for the disks the options name; unnamed disks keep the defaults (included, default type). */
export function diskSettings(exclude: readonly string[], types: readonly string[]): DiskSetting[] | undefined {
  const typed = new Map(types.map(diskTypeOf));
  const named = [...new Set([...exclude, ...typed.keys()])];
  if (named.length === 0) return undefined;
  return named.map((diskId) => ({
    diskId,
    include: !exclude.includes(diskId),
    diskType: typed.get(diskId) ?? defaultDiskType,
  }));
}

export async function replicate({ args, options }: Invocation<ReplicateOptions>): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const [machine, policy] = await Promise.all([
    resolveMachine(project, args[0]),
    resolvePolicy(project, options.policy),
  ]);
  const disks = diskSettings(options.excludeDisk ?? [], options.diskType ?? []);
  const target = {
    resourceGroup: options.resourceGroup,
    network: options.network,
    subnet: options.subnet,
    ...(options.vmSize ? { vmSize: options.vmSize } : {}),
    ...(options.vmName ? { vmName: options.vmName } : {}),
    ...(options.osDisk ? { osDiskId: options.osDisk } : {}),
    ...(options.availabilitySet ? { availabilitySet: options.availabilitySet } : {}),
    ...(options.hybridBenefit ? { hybridBenefit: true } : {}),
    ...(disks ? { disks } : {}),
  };
  const started = await project.call(routes.enableReplication, {
    body: { machineId: machine.id, policyId: policy.id, target },
  });
  await followJob(session, project, started.job, { wait: options.wait });
  if (!session.json) note(`Initial replication follows; watch it with: ferry server watch ${machine.hostname}`);
}
