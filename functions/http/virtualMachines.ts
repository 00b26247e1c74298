import type { HttpResponseInit } from "@azure/functions";
import { emptyBodySchema } from "../../shared/api/common";
import { parseBody } from "../../shared/api/parseBody";
import { routes } from "../../shared/api/routes";
import { parseRangeHeader } from "../../shared/domain/byteRange";
import { services } from "../../shared/services";
import { createDownloadLink, openDownload } from "../../shared/target/diskDownloads";
import type { DiskStream } from "../../shared/target/targetProvider";
import { getVirtualMachine, listVirtualMachines, openVirtualMachineDisk } from "../../shared/target/virtualMachines";
import { parseJson, readSmallBody } from "./body";
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

export const postDiskDownloadLink: HttpHandler = async (request) => {
  const bytes = await readSmallBody(request);
  parseBody(emptyBodySchema, bytes.length === 0 ? {} : parseJson(bytes, request.headers.get("content-type")));
  const vmId = idParam(request, "virtualMachine", "vmId");
  const link = await createDownloadLink(
    services(),
    idParam(request, "project"),
    vmId,
    request.params.diskId ?? "",
    new URL(request.url).origin,
  );
  return json(200, link);
};

/** The link's GET: no operator key; the token is the credential for one disk, until it expires. */
export const getDiskDownload: HttpHandler = async (request) => {
  const range = parseRangeHeader(request.headers.get("range"));
  const { diskId, disk } = await openDownload(services(), request.params.token ?? "", range);
  return diskResponse(disk, diskId);
};

register(routes.listVirtualMachines, getVirtualMachines);
register(routes.getVirtualMachine, getOneVirtualMachine);
register(routes.getVirtualMachineDisk, getVirtualMachineDisk);
register(routes.createDiskDownloadLink, postDiskDownloadLink);
register(routes.downloadDisk, getDiskDownload);
