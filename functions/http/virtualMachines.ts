import type { HttpResponseInit } from "@azure/functions";
import { routes } from "../../shared/api/routes";
import { parseRangeHeader } from "../../shared/domain/byteRange";
import { services } from "../../shared/services";
import type { DiskStream } from "../../shared/target/targetProvider";
import { getVirtualMachine, listVirtualMachines, openVirtualMachineDisk } from "../../shared/target/virtualMachines";
import { idParam, list } from "./params";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

export const getVirtualMachines: HttpHandler = async (request) =>
  json(200, list(await listVirtualMachines(services(), idParam(request, "project"))));

export const getOneVirtualMachine: HttpHandler = async (request) =>
  json(
    200,
    await getVirtualMachine(services(), idParam(request, "project"), idParam(request, "virtualMachine", "vmId")),
  );

function diskResponse(disk: DiskStream, diskId: string): HttpResponseInit {
  const { start, end } = disk.range;
  const headers: Record<string, string> = {
    "content-type": "application/octet-stream",
    "content-length": String(end - start + 1),
    "accept-ranges": "bytes",
    "content-disposition": `attachment; filename="${diskId}.vhd"`,
    "cache-control": "no-store",
  };
  if (disk.partial) headers["content-range"] = `bytes ${start}-${end}/${disk.size}`;
  return { status: disk.partial ? 206 : 200, body: disk.stream, headers };
}

export const getVirtualMachineDisk: HttpHandler = async (request) => {
  const projectId = idParam(request, "project");
  const vmId = idParam(request, "virtualMachine", "vmId");
  const diskId = request.params.diskId ?? "";
  const disk = await openVirtualMachineDisk(
    services(),
    projectId,
    vmId,
    diskId,
    parseRangeHeader(request.headers.get("range")),
  );
  return diskResponse(disk, diskId);
};

register(routes.listVirtualMachines, getVirtualMachines);
register(routes.getVirtualMachine, getOneVirtualMachine);
register(routes.getVirtualMachineDisk, getVirtualMachineDisk);
