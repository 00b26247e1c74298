import type { TargetSettings } from "../api/replications";
import type { FerryConfig } from "../config";
import { errors } from "../domain/errors";
import { unwrap } from "../domain/result";
import { planTargetDisks, sizingNeedsFor } from "../domain/targetDisks";
import { resolveVmSize } from "../domain/vmSizing";
import type { TargetProvider } from "../target/targetProvider";
import type { ControlPlaneDeps } from "./deps";
import { changeItem, getItemRow, type ItemDisk, type ItemTarget } from "./items";
import { getMachine, type Machine } from "./machines";

/** What choosing a target needs beyond the stores: the deployment's defaults and the provider's check. */
export interface TargetChoiceDeps {
  config: Pick<FerryConfig, "targetDefaults">;
  targets: Pick<TargetProvider, "checkTarget">;
}

type TargetDefaults = FerryConfig["targetDefaults"];

/** The network and subnet asked for, else the deployment's defaults ("default" is Azure's usual subnet). */
function placement(settings: TargetSettings, defaults: TargetDefaults): { network: string; subnet: string } {
  const network = settings.network ?? defaults.network;
  if (network === undefined)
    throw errors.invalidInput(
      "Name the target's virtual network: this deployment has no default one.",
      "target.network",
    );
  const subnet = settings.subnet ?? (settings.network === undefined ? defaults.subnet : undefined) ?? "default";
  return { network, subnet };
}

/**
 * Resolves target settings against the machine: OS disk, disks (pure domain rules), and the
 * VM size ("auto" = closest match).
 */
export function planTarget(
  machine: Machine,
  settings: TargetSettings,
  defaults: TargetDefaults = {},
): { target: ItemTarget; disks: ItemDisk[] } {
  const plan = unwrap(
    planTargetDisks({ sourceDisks: machine.disks, choices: settings.disks, osDiskId: settings.osDiskId }),
  );
  const size = unwrap(resolveVmSize(settings.vmSize, sizingNeedsFor(machine, plan)));
  const disks = plan.map((d): ItemDisk => ({
    diskId: d.diskId,
    sizeBytes: d.sizeBytes,
    isBoot: d.isOsDisk,
    include: d.include,
    diskType: d.diskType,
    bytesReplicated: 0,
    uploadBytesPerSecond: 0,
  }));
  const osDiskId = plan.find((d) => d.isOsDisk)?.diskId;
  const { disks: _asked, ...rest } = settings;
  return {
    target: {
      ...rest,
      ...placement(settings, defaults),
      vmName: rest.vmName ?? machine.hostname.split(".")[0],
      osDiskId,
      vmSize: size.name,
    },
    disks,
  };
}

const placementFields = ["resourceGroup", "network", "subnet", "availabilitySet"] as const;

/**
 * Target settings can change until the first replicated byte arrives; after that they are fixed.
 * A new placement is checked with the provider first, as enabling replication checks it.
 */
export async function updateTargetSettings(
  deps: ControlPlaneDeps & TargetChoiceDeps,
  projectId: string,
  itemId: string,
  patch: Partial<TargetSettings>,
): Promise<void> {
  const row = await getItemRow(deps, projectId, itemId);
  const machine = await getMachine(deps, projectId, row.machineId);
  // Once replication has started the change is refused below, whatever the placement.
  if (!row.replicationStartedAt && placementFields.some((field) => patch[field] !== undefined))
    await deps.targets.checkTarget({ ...(JSON.parse(row.target) as ItemTarget), ...patch });
  await changeItem(deps, projectId, itemId, (current) => {
    if (current.replicationStartedAt) {
      throw errors.operationNotAllowed(
        "UpdateTargetSettings",
        "replication has started, so the target settings are fixed",
      );
    }
    const target = JSON.parse(current.target) as ItemTarget;
    const disks = (JSON.parse(current.disks) as ItemDisk[]).map(({ diskId, include, diskType }) => ({
      diskId,
      include,
      diskType,
    }));
    const merged: TargetSettings = {
      ...target,
      disks,
      ...patch,
      vmSize: patch.vmSize ?? (patch.disks ? "auto" : target.vmSize),
    };
    const planned = planTarget(machine, merged, deps.config.targetDefaults);
    return {
      ...current,
      target: JSON.stringify(planned.target),
      disks: JSON.stringify(planned.disks),
      updatedAt: deps.now().toISOString(),
    };
  });
}
