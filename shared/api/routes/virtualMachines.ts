import { virtualMachineSchema } from "../virtualMachines";
import { defineRoutes, projectPath } from "./route";

const vm = `${projectPath}/virtual-machines/{vmId}` as const;

/** The VMs test migrations and migrations created, and their disks. */
export const virtualMachineRoutes = defineRoutes({
  listVirtualMachines: {
    method: "get",
    path: `${projectPath}/virtual-machines`,
    summary: "List created VMs",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The VMs.", schema: virtualMachineSchema, list: true },
  },
  getVirtualMachine: {
    method: "get",
    path: vm,
    summary: "Get a created VM",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The VM.", schema: virtualMachineSchema },
  },
  getVirtualMachineDisk: {
    method: "get",
    path: `${vm}/disks/{diskId}`,
    summary: "Download a disk as a fixed VHD (Range supported)",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The fixed VHD bytes.", binary: true },
  },
});
