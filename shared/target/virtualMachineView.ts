import type { VirtualMachine } from "../api/virtualMachines";
import type { TargetVm } from "./targetProvider";

/** A target VM as the operator API shows it (`shared/api/virtualMachines.ts`); ARM ids and blob names stay inside. */
export function virtualMachineView(vm: TargetVm): VirtualMachine {
  return {
    id: vm.id,
    projectId: vm.projectId,
    itemId: vm.itemId,
    name: vm.name,
    kind: vm.test ? "TestMigration" : "Migration",
    vmSize: vm.size,
    resourceGroup: vm.resourceGroup,
    network: vm.network,
    ...(vm.subnet === undefined ? {} : { subnet: vm.subnet }),
    hybridBenefit: vm.hybridBenefit,
    ...(vm.availabilitySet === undefined ? {} : { availabilitySet: vm.availabilitySet }),
    osType: vm.osType,
    state: vm.state,
    networkInterface: { name: vm.nic.name, privateIpAddress: vm.nic.privateIpAddress },
    recoveryPointId: vm.recoveryPointId,
    createdAt: vm.createdAt,
    disks: vm.disks.map((disk) => ({
      diskId: disk.diskId,
      isOsDisk: disk.isOsDisk,
      diskType: disk.diskType,
      sizeBytes: disk.sizeBytes,
      vhdSizeBytes: disk.vhdSizeBytes,
    })),
  };
}
