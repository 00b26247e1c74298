import type { TableClient } from "@azure/data-tables";
import * as z from "zod";
import { isFerryError } from "../domain/errors";
import { diskTypes } from "../domain/targetDisks";
import { describing, jsonColumn } from "../storage/columns";
import { TableStore } from "../storage/tableStore";
import type { OsType, TargetDisk, TargetNic, TargetVm, TargetVmState } from "./targetProvider";

/** The table of target VMs (partition: project id, row: VM id). */
export const targetVmTable = "FerryVirtualMachines";

/** One target VM. JSON columns keep it one point read; no secret is ever stored here. */
export interface TargetVmRow {
  itemId: string;
  recoveryPointId: string;
  name: string;
  test: boolean;
  size: string;
  location: string;
  resourceGroup: string;
  network: string;
  subnet?: string;
  osType: string;
  availabilitySet?: string;
  hybridBenefit: boolean;
  /** JSON: a TargetNic (`nicColumn`). */
  nic: string;
  /** JSON: the VM's TargetDisks (`disksColumn`). */
  disks: string;
  state: string;
  createdAt: string;
  resourceId?: string;
}

const nicColumn = jsonColumn(
  targetVmTable,
  "nic",
  describing<TargetNic>()(
    z.object({ name: z.string(), privateIpAddress: z.string(), resourceId: z.string().optional() }),
  ),
);
const targetDisk = describing<TargetDisk>()(
  z.object({
    diskId: z.string(),
    name: z.string(),
    blobName: z.string(),
    sizeBytes: z.int().min(0),
    vhdSizeBytes: z.int().min(0),
    diskType: z.enum(diskTypes),
    isOsDisk: z.boolean(),
    resourceId: z.string().optional(),
  }),
);
const disksColumn = jsonColumn(targetVmTable, "disks", z.array(targetDisk));

function toRow(vm: TargetVm): TargetVmRow {
  const { id: _id, projectId: _p, nic, disks, ...rest } = vm;
  return { ...rest, nic: nicColumn.serialize(nic), disks: disksColumn.serialize(disks) };
}

function fromRow(projectId: string, id: string, row: TargetVmRow): TargetVm {
  return {
    ...row,
    id,
    projectId,
    osType: row.osType as OsType,
    state: row.state as TargetVmState,
    nic: nicColumn.parse(row.nic),
    disks: disksColumn.parse(row.disks),
  };
}

/** Target VM records, shared by every provider: they are what the operator API lists. */
export class TargetVmStore {
  private readonly table: TableStore<TargetVmRow>;
  private created: Promise<void> | undefined;

  constructor(client: TableClient) {
    this.table = new TableStore<TargetVmRow>(client);
  }

  private ready(): Promise<void> {
    this.created ??= this.table.ensure();
    this.created.catch(() => {
      this.created = undefined;
    });
    return this.created;
  }

  async get(projectId: string, vmId: string, abortSignal?: AbortSignal): Promise<TargetVm | undefined> {
    await this.ready();
    const row = await this.table.get(projectId, vmId, abortSignal);
    return row === undefined ? undefined : fromRow(projectId, vmId, row.value);
  }

  async list(projectId: string, abortSignal?: AbortSignal): Promise<TargetVm[]> {
    await this.ready();
    const vms: TargetVm[] = [];
    for await (const row of this.table.partition(projectId, abortSignal))
      vms.push(fromRow(projectId, row.rowKey, row.value));
    return vms;
  }

  /** Inserts the record; when a repeated call finds it there already, the stored one wins. */
  async insertOrGet(vm: TargetVm, abortSignal?: AbortSignal): Promise<TargetVm> {
    await this.ready();
    try {
      await this.table.insert(vm.projectId, vm.id, toRow(vm), abortSignal);
      return vm;
    } catch (error) {
      if (!isFerryError(error) || error.code !== "AlreadyExists") throw error;
      const stored = await this.get(vm.projectId, vm.id, abortSignal);
      if (stored === undefined) throw error;
      return stored;
    }
  }

  /** Sets the state with an ETag check, so it never brings back a row a concurrent delete removed. */
  async setState(
    projectId: string,
    vmId: string,
    state: TargetVmState,
    abortSignal?: AbortSignal,
  ): Promise<TargetVm | undefined> {
    await this.ready();
    for (;;) {
      const row = await this.table.get(projectId, vmId, abortSignal);
      if (row === undefined) return undefined;
      const vm = { ...fromRow(projectId, vmId, row.value), state };
      if (row.value.state === state) return vm;
      try {
        await this.table.replace(projectId, vmId, toRow(vm), row.etag, abortSignal);
        return vm;
      } catch (error) {
        if (!isFerryError(error) || error.code !== "PreconditionFailed") throw error;
      }
    }
  }

  async delete(projectId: string, vmId: string, abortSignal?: AbortSignal): Promise<void> {
    await this.ready();
    await this.table.delete(projectId, vmId, abortSignal);
  }
}
