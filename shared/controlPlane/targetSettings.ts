import type { TargetSettings } from "../api/replications";
import { errors } from "../domain/errors";
import { unwrap } from "../domain/result";
import { planTargetDisks, sizingNeedsFor } from "../domain/targetDisks";
import { resolveVmSize } from "../domain/vmSizing";
import type { ControlPlaneDeps } from "./deps";
import { changeItem, getItemRow, type ItemDisk, type ItemTarget } from "./items";
import { getMachine, type Machine } from "./machines";

/**
 * Resolves target settings against the machine: OS disk, disks (pure domain rules), and the
 * VM size ("auto" = closest match).
 */
export function planTarget(machine: Machine, settings: TargetSettings): { target: ItemTarget; disks: ItemDisk[] } {
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
    target: { ...rest, vmName: rest.vmName ?? machine.hostname.split(".")[0], osDiskId, vmSize: size.name },
    disks,
  };
}

/** Target settings can change until the first replicated byte arrives; after that they are fixed. */
export async function updateTargetSettings(
  deps: ControlPlaneDeps,
  projectId: string,
  itemId: string,
  patch: Partial<TargetSettings>,
): Promise<void> {
  const row = await getItemRow(deps, projectId, itemId);
  const machine = await getMachine(deps, projectId, row.machineId);
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
    const planned = planTarget(machine, merged);
    return {
      ...current,
      target: JSON.stringify(planned.target),
      disks: JSON.stringify(planned.disks),
      updatedAt: deps.now().toISOString(),
    };
  });
}
