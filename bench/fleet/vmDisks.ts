/**
 * Every VM of a kind compared with its source: each disk downloaded from the local target through
 * the operator API (the fixed VHD, streamed) and its first bytes, the disk itself, hashed.
 */
import { routes, type ProjectClient, type VirtualMachine } from "../../client";
import { diskDigest } from "../../demo/demoKit";
import type { FleetMachine } from "./fleetMachine";

export interface DiskCheck {
  vms: number;
  disksEqual: number;
  /** One line per disk that differs, or per machine that has no VM of the kind. */
  problems: string[];
}

async function checkVm(project: ProjectClient, vm: VirtualMachine, machine: FleetMachine): Promise<string[]> {
  const problems: string[] = [];
  for (const disk of machine.disks) {
    const got = await diskDigest(project, vm.id, disk.diskId, disk.sizeBytes);
    const want = machine.sha256.get(disk.diskId);
    if (got.sha256 !== want) problems.push(`${vm.name} ${disk.diskId}: sha256 ${got.sha256} ≠ source ${want}`);
  }
  return problems;
}

/** Compares the VMs of `kind` of the machines' items; four downloads at a time. */
export async function compareVms(
  project: ProjectClient,
  kind: VirtualMachine["kind"],
  itemMachines: ReadonlyMap<string, FleetMachine>,
): Promise<DiskCheck> {
  const vms = (await project.listAll(routes.listVirtualMachines)).filter(
    (vm) => vm.kind === kind && vm.state === "Running" && itemMachines.has(vm.itemId),
  );
  const problems: string[] = [];
  for (const [itemId, machine] of itemMachines)
    if (!vms.some((vm) => vm.itemId === itemId)) problems.push(`${machine.name}: no ${kind} VM`);
  let disks = 0;
  const queue = [...vms];
  const worker = async () => {
    for (let vm = queue.shift(); vm; vm = queue.shift()) {
      const machine = itemMachines.get(vm.itemId) as FleetMachine;
      problems.push(...(await checkVm(project, vm, machine)));
      disks += machine.disks.length;
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return { vms: vms.length, disksEqual: disks - problems.filter((p) => p.includes("sha256")).length, problems };
}
