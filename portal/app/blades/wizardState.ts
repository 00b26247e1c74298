import type { Machine, Policy } from "../../../client";
import type { EnableReplicationRequest } from "../../../shared/api/replications";
import type { DiskType } from "../../../shared/domain/targetDisks";
import { defaultDiskType, planTargetDisks, sizingNeedsFor } from "../../../shared/domain/targetDisks";
import { closestVmSize } from "../../../shared/domain/vmSizing";

/** What the Replicate wizard collects, as the operator types it (strings until the request is made). */
export interface WizardForm {
  machineId: string;
  policyId: string;
  resourceGroup: string;
  network: string;
  subnet: string;
  vmName: string;
  vmSize: string;
  osDiskId: string;
  availabilitySet: string;
  hybridBenefit: boolean;
  disks: { diskId: string; include: boolean; diskType: DiskType }[];
}

export const wizardSteps = ["Source machine", "Policy", "Target settings", "Disks", "Review"] as const;
export type WizardStep = (typeof wizardSteps)[number];

export function initialForm(machine: Machine | undefined, policies: Policy[]): WizardForm {
  const boot = machine?.disks.find((disk) => disk.isBoot) ?? machine?.disks[0];
  return {
    machineId: machine?.id ?? "",
    policyId: policies[0]?.id ?? "",
    resourceGroup: "",
    network: "",
    subnet: "default",
    vmName: "",
    vmSize: "auto",
    osDiskId: boot?.id ?? "",
    availabilitySet: "",
    hybridBenefit: false,
    disks: (machine?.disks ?? []).map((disk) => ({ diskId: disk.id, include: true, diskType: defaultDiskType })),
  };
}

/** Azure Migrate's closest match for the choices so far, as the API will pick it for "auto". */
export function closestMatch(machine: Machine | undefined, form: WizardForm): string | undefined {
  if (!machine) return undefined;
  const plan = planTargetDisks({
    sourceDisks: machine.disks,
    choices: form.disks,
    ...(form.osDiskId ? { osDiskId: form.osDiskId } : {}),
  });
  if (!plan.ok) return undefined;
  const size = closestVmSize(sizingNeedsFor(machine, plan.value));
  return size.ok ? `${size.value.name} (${size.value.vCpus} vCPUs, ${size.value.memoryGiB} GiB)` : undefined;
}

const optional = <K extends string, V>(key: K, value: V | "") =>
  value === "" ? {} : ({ [key]: value } as Record<K, V>);

export function enableRequest(form: WizardForm): EnableReplicationRequest {
  return {
    machineId: form.machineId,
    policyId: form.policyId,
    target: {
      resourceGroup: form.resourceGroup,
      network: form.network,
      subnet: form.subnet,
      vmSize: form.vmSize,
      hybridBenefit: form.hybridBenefit,
      disks: form.disks,
      ...optional("vmName", form.vmName),
      ...optional("osDiskId", form.osDiskId),
      ...optional("availabilitySet", form.availabilitySet),
    },
  };
}

/** The step holding the field an API error names ("target.network" → Target settings). */
export function stepOf(target: string | undefined): WizardStep {
  if (target === undefined) return "Review";
  if (target === "machineId") return "Source machine";
  if (target === "policyId") return "Policy";
  if (target.startsWith("target.disks")) return "Disks";
  if (target.startsWith("target.")) return "Target settings";
  return "Review";
}
