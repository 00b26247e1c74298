import type { TargetSettings } from "../api/replications";
import { errors } from "../domain/errors";
import { unwrap } from "../domain/result";
import { resolveVmSize } from "../domain/vmSizing";
import type { ControlPlaneDeps } from "./deps";
import { changeItem, getItemRow, type ItemDisk, type ItemTarget } from "./items";
import { getMachine, type Machine } from "./machines";

/** Per-disk settings: every discovered disk, included unless excluded; the OS disk always included. */
function planDisks(machine: Machine, settings: TargetSettings, osDiskId: string): ItemDisk[] {
  const asked = new Map((settings.disks ?? []).map((d) => [d.diskId, d]));
  for (const id of asked.keys()) {
    if (!machine.disks.some((d) => d.id === id)) throw errors.invalidInput(`Machine ${machine.id} has no disk '${id}'.`, "target.disks");
  }
  const disks = machine.disks.map((d): ItemDisk => ({
    diskId: d.id, sizeBytes: d.sizeBytes, isBoot: d.id === osDiskId, include: asked.get(d.id)?.include ?? true,
    diskType: asked.get(d.id)?.diskType ?? "StandardSSD_LRS", bytesReplicated: 0, uploadBytesPerSecond: 0,
  }));
  if (!disks.find((d) => d.diskId === osDiskId)?.include) throw errors.invalidInput("The OS disk must be included.", "target.disks");
  return disks;
}

/** Resolves target settings against the machine: OS disk, disks, and the VM size ("auto" = closest match). */
export function planTarget(machine: Machine, settings: TargetSettings): { target: ItemTarget; disks: ItemDisk[] } {
  const osDiskId = settings.osDiskId ?? machine.disks.find((d) => d.isBoot)?.id ?? machine.disks[0].id;
  if (!machine.disks.some((d) => d.id === osDiskId)) throw errors.invalidInput(`Machine ${machine.id} has no disk '${osDiskId}'.`, "target.osDiskId");
  const disks = planDisks(machine, settings, osDiskId);
  const size = unwrap(resolveVmSize(settings.vmSize, {
    cpus: machine.cpus, memoryMiB: machine.memoryMiB,
    dataDiskCount: disks.filter((d) => d.include && !d.isBoot).length,
    premium: disks.some((d) => d.include && d.diskType === "Premium_LRS"),
  }));
  const { disks: _asked, ...rest } = settings;
  return { target: { ...rest, vmName: rest.vmName ?? machine.hostname.split(".")[0], osDiskId, vmSize: size.name }, disks };
}

/** Target settings can change until the first replicated byte arrives; after that they are fixed. */
export async function updateTargetSettings(deps: ControlPlaneDeps, projectId: string, itemId: string, patch: Partial<TargetSettings>): Promise<void> {
  const row = await getItemRow(deps, projectId, itemId);
  const machine = await getMachine(deps, projectId, row.machineId);
  await changeItem(deps, projectId, itemId, (current) => {
    if (current.replicationStartedAt) {
      throw errors.operationNotAllowed("UpdateTargetSettings", "replication has started, so the target settings are fixed");
    }
    const target = JSON.parse(current.target) as ItemTarget;
    const disks = (JSON.parse(current.disks) as ItemDisk[]).map(({ diskId, include, diskType }) => ({ diskId, include, diskType }));
    const merged: TargetSettings = { ...target, disks, ...patch, vmSize: patch.vmSize ?? (patch.disks ? "auto" : target.vmSize) };
    const planned = planTarget(machine, merged);
    return { ...current, target: JSON.stringify(planned.target), disks: JSON.stringify(planned.disks), updatedAt: deps.now().toISOString() };
  });
}
