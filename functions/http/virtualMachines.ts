import { app, type HttpResponseInit } from "@azure/functions";
import { parseRangeHeader } from "../../shared/domain/byteRange";
import { services } from "../../shared/services";
import type { DiskStream } from "../../shared/target/targetProvider";
import { getVirtualMachine, listVirtualMachines, openVirtualMachineDisk } from "../../shared/target/virtualMachines";
import { operator } from "./operatorAuth";
import { idParam, list } from "./params";
import { json, withErrors, type HttpHandler } from "./respond";

export const getVirtualMachines: HttpHandler = async (request) =>
  json(200, list(await listVirtualMachines(services(), idParam(request, "p", "project"))));

export const getOneVirtualMachine: HttpHandler = async (request) =>
  json(
    200,
    await getVirtualMachine(services(), idParam(request, "p", "project"), idParam(request, "v", "virtualMachine")),
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
  const projectId = idParam(request, "p", "project");
  const vmId = idParam(request, "v", "virtualMachine");
  const diskId = request.params.d ?? "";
  const disk = await openVirtualMachineDisk(
    services(),
    projectId,
    vmId,
    diskId,
    parseRangeHeader(request.headers.get("range")),
  );
  return diskResponse(disk, diskId);
};

app.http("listVirtualMachines", {
  methods: ["GET"],
  route: "projects/{p}/virtual-machines",
  authLevel: "anonymous",
  handler: withErrors(operator(getVirtualMachines)),
});
app.http("getVirtualMachine", {
  methods: ["GET"],
  route: "projects/{p}/virtual-machines/{v}",
  authLevel: "anonymous",
  handler: withErrors(operator(getOneVirtualMachine)),
});
app.http("getVirtualMachineDisk", {
  methods: ["GET"],
  route: "projects/{p}/virtual-machines/{v}/disks/{d}",
  authLevel: "anonymous",
  handler: withErrors(operator(getVirtualMachineDisk)),
});
