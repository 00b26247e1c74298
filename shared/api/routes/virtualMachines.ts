import { emptyBodySchema } from "../common";
import { downloadLinkSchema } from "../diskDownloads";
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
  createDiskDownloadLink: {
    method: "post",
    path: `${vm}/disks/{diskId}/download-link`,
    summary: "Mint a link that downloads one disk as a fixed VHD for 15 minutes, without a key",
    auth: "operator",
    // A download, like the GET of the disk itself: a Reader may.
    access: "read",
    body: emptyBodySchema,
    response: { status: 200, description: "The link and when it expires.", schema: downloadLinkSchema },
  },
  downloadDisk: {
    method: "get",
    path: "/disk-downloads/{token}",
    summary: "Download a disk through a link minted by download-link (Range supported)",
    auth: "none",
    response: { status: 200, description: "The fixed VHD bytes.", binary: true },
  },
});
