// What the stand-in Resource Manager enforces between resources, as Azure does: a NIC joins a
// subnet that exists, a VM attaches NICs, disks and an availability set that exist (and marks them
// in use), nothing in use is deleted, and licenseType takes only the values Azure knows.
type Json = Record<string, unknown>;

export type Resources = Map<string, Json>;

export interface ArmRefusal {
  status: number;
  code: string;
  message: string;
}

const licenseTypes = ["Windows_Server", "Windows_Client", "RHEL_BYOS", "SLES_BYOS", "None"];

const props = (resource: Json | undefined): Json => (resource?.properties as Json | undefined) ?? {};
const isType = (path: string, type: string) => new RegExp(`/providers/${type}/[^/]+$`, "i").test(path);
const idOf = (ref: unknown): string | undefined =>
  typeof ref === "object" && ref !== null ? ((ref as Json).id as string | undefined) : undefined;

/** The resource type of a path: "Microsoft.Compute/disks", "Microsoft.Network/virtualNetworks/subnets". */
export function typeOf(path: string): string {
  const [, provider = ""] = /\/providers\/(.+)$/i.exec(path) ?? [];
  const parts = provider.split("/");
  return [parts[0], ...parts.slice(1).filter((_, i) => i % 2 === 0)].join("/");
}

/** The VM's references: NIC ids, managed disk ids, and its availability set id if any. */
function vmReferences(body: Json | undefined) {
  const p = props(body);
  const storage = (p.storageProfile as Json | undefined) ?? {};
  const disks = [storage.osDisk, ...((storage.dataDisks as unknown[] | undefined) ?? [])]
    .map((disk) => idOf((disk as Json | undefined)?.managedDisk))
    .filter((id): id is string => id !== undefined);
  const nics = (((p.networkProfile as Json | undefined)?.networkInterfaces as unknown[] | undefined) ?? [])
    .map(idOf)
    .filter((id): id is string => id !== undefined);
  return { nics, disks, availabilitySet: idOf(p.availabilitySet) };
}

function missing(resources: Resources, ids: (string | undefined)[], code: string, status: number) {
  const absent = ids.find((id) => id !== undefined && !resources.has(id.toLowerCase()));
  return absent === undefined ? undefined : { status, code, message: `Resource ${absent} was not found.` };
}

export function refusePut(resources: Resources, path: string, body: Json | undefined): ArmRefusal | undefined {
  if (isType(path, "Microsoft.Network/networkInterfaces")) {
    const configs = (props(body).ipConfigurations as Json[] | undefined) ?? [];
    return missing(
      resources,
      configs.map((c) => idOf(props(c).subnet)),
      "InvalidResourceReference",
      400,
    );
  }
  if (isType(path, "Microsoft.Compute/disks")) {
    const creation = (props(body).creationData as Json | undefined) ?? {};
    if (creation.createOption === "Import" && (!creation.sourceUri || !creation.storageAccountId))
      return { status: 400, code: "InvalidParameter", message: "Import needs sourceUri and storageAccountId." };
  }
  if (!isType(path, "Microsoft.Compute/virtualMachines")) return undefined;
  const licenseType = props(body).licenseType;
  if (licenseType !== undefined && !licenseTypes.includes(String(licenseType)))
    return { status: 400, code: "InvalidParameter", message: `licenseType '${String(licenseType)}' is not valid.` };
  const refs = vmReferences(body);
  return (
    missing(resources, refs.nics, "InvalidResourceReference", 400) ??
    missing(resources, refs.disks, "NotFound", 404) ??
    missing(resources, [refs.availabilitySet], "NotFound", 404)
  );
}

/** Changes a copy of a resource's properties and stores it back. */
function mark(resources: Resources, id: string | undefined, change: (p: Json) => void): void {
  const resource = id === undefined ? undefined : resources.get(id.toLowerCase());
  if (resource === undefined) return;
  const changed = { ...props(resource) };
  change(changed);
  resource.properties = changed;
}

/** Marks what a VM attached as in use by it, or (on delete) as free again. */
export function attach(resources: Resources, vm: Json, attached: boolean): void {
  const vmId = String(vm.id);
  const refs = vmReferences(vm);
  for (const nic of refs.nics)
    mark(resources, nic, (p) => {
      p.virtualMachine = attached ? { id: vmId } : undefined;
    });
  for (const disk of refs.disks) {
    const resource = resources.get(disk.toLowerCase());
    if (resource !== undefined) resource.managedBy = attached ? vmId : undefined;
    mark(resources, disk, (p) => {
      p.diskState = attached ? "Attached" : "Unattached";
    });
  }
  mark(resources, refs.availabilitySet, (p) => {
    const others = ((p.virtualMachines as Json[] | undefined) ?? []).filter((m) => idOf(m) !== vmId);
    p.virtualMachines = attached ? [...others, { id: vmId }] : others;
  });
}

export function refuseDelete(resource: Json | undefined, path: string): ArmRefusal | undefined {
  if (isType(path, "Microsoft.Network/networkInterfaces") && props(resource).virtualMachine)
    return { status: 400, code: "NicInUse", message: `${path} is attached to a VM.` };
  if (isType(path, "Microsoft.Compute/disks") && resource?.managedBy)
    return {
      status: 409,
      code: "OperationNotAllowed",
      message: `${path} is attached to ${String(resource.managedBy)}.`,
    };
  return undefined;
}

/** Resources - List By Resource Group: top-level resources only, optionally one tag's. */
export function listGroup(resources: Resources, groupPath: string, filter: string | null): Json[] {
  const [, tagName, tagValue] = /tagName eq '([^']*)' and tagValue eq '([^']*)'/.exec(filter ?? "") ?? [];
  const prefix = `${groupPath.toLowerCase()}/providers/`;
  return [...resources.entries()]
    .filter(([key]) => key.startsWith(prefix) && typeOf(key).split("/").length === 2)
    .map(([, resource]) => resource)
    .filter((r) => tagName === undefined || (r.tags as Json | undefined)?.[tagName] === tagValue)
    .map((r) => ({ id: r.id, name: r.name, type: typeOf(String(r.id)), location: r.location, tags: r.tags }));
}
