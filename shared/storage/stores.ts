import type {
  ApplianceRow,
  AgentRow,
  DataKeyRow,
  DiskCursorRow,
  IdentityRow,
  ItemRow,
  JobRow,
  MachineClaimRow,
  MachineRow,
  NonceRow,
  OperatorKeyRow,
  PolicyRow,
  ProjectRow,
  RecoveryPointRow,
  RegistrationKeyRow,
} from "./rows";
import { tableClient, type StorageAccess } from "./storageAccess";
import { TableStore } from "./tableStore";

/** Ferry's control-plane tables. */
export interface Stores {
  projects: TableStore<ProjectRow>;
  registrationKeys: TableStore<RegistrationKeyRow>;
  appliances: TableStore<ApplianceRow>;
  machines: TableStore<MachineRow>;
  agents: TableStore<AgentRow>;
  identities: TableStore<IdentityRow>;
  nonces: TableStore<NonceRow>;
  policies: TableStore<PolicyRow>;
  items: TableStore<ItemRow>;
  jobs: TableStore<JobRow>;
  machineClaims: TableStore<MachineClaimRow>;
  diskCursors: TableStore<DiskCursorRow>;
  recoveryPoints: TableStore<RecoveryPointRow>;
  dataKeys: TableStore<DataKeyRow>;
  operatorKeys: TableStore<OperatorKeyRow>;
  /** Creates the tables once per process. */
  ready(): Promise<void>;
}

export function createStores(access: StorageAccess): Stores {
  const open = <T extends object>(name: string) => new TableStore<T>(tableClient(access, name));
  const tables = {
    projects: open<ProjectRow>("FerryProjects"),
    registrationKeys: open<RegistrationKeyRow>("FerryRegistrationKeys"),
    appliances: open<ApplianceRow>("FerryAppliances"),
    machines: open<MachineRow>("FerryMachines"),
    agents: open<AgentRow>("FerryAgents"),
    identities: open<IdentityRow>("FerryMachineIdentities"),
    nonces: open<NonceRow>("FerryNonces"),
    policies: open<PolicyRow>("FerryPolicies"),
    items: open<ItemRow>("FerryItems"),
    jobs: open<JobRow>("FerryJobs"),
    machineClaims: open<MachineClaimRow>("FerryMachineClaims"),
    diskCursors: open<DiskCursorRow>("FerryDiskCursors"),
    recoveryPoints: open<RecoveryPointRow>("FerryRecoveryPoints"),
    dataKeys: open<DataKeyRow>("FerryDataKeys"),
    operatorKeys: open<OperatorKeyRow>("FerryOperatorKeys"),
  };
  let created: Promise<void> | undefined;
  return {
    ...tables,
    ready() {
      created ??= Promise.all(Object.values(tables).map((t) => t.ensure())).then(() => undefined);
      created.catch(() => {
        created = undefined;
      });
      return created;
    },
  };
}
