import type {
  ApplianceRow,
  AgentRow,
  DataKeyRow,
  RetiredAgentRow,
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
  RecoveryPlanRow,
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
  /** The same table: a machine's "retired" row beside its (deleted) "agent" row. */
  retiredAgents: TableStore<RetiredAgentRow>;
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
  recoveryPlans: TableStore<RecoveryPlanRow>;
  /** Creates the tables once per process. */
  ready(): Promise<void>;
}

/** Each table's name in the storage account. */
export const tableNames = {
  projects: "FerryProjects",
  registrationKeys: "FerryRegistrationKeys",
  appliances: "FerryAppliances",
  machines: "FerryMachines",
  agents: "FerryAgents",
  identities: "FerryMachineIdentities",
  nonces: "FerryNonces",
  policies: "FerryPolicies",
  items: "FerryItems",
  jobs: "FerryJobs",
  machineClaims: "FerryMachineClaims",
  diskCursors: "FerryDiskCursors",
  recoveryPoints: "FerryRecoveryPoints",
  dataKeys: "FerryDataKeys",
  operatorKeys: "FerryOperatorKeys",
  recoveryPlans: "FerryRecoveryPlans",
} as const;

export function createStores(access: StorageAccess): Stores {
  const open = <T extends object>(name: string) => new TableStore<T>(tableClient(access, name));
  const tables = {
    projects: open<ProjectRow>(tableNames.projects),
    registrationKeys: open<RegistrationKeyRow>(tableNames.registrationKeys),
    appliances: open<ApplianceRow>(tableNames.appliances),
    machines: open<MachineRow>(tableNames.machines),
    agents: open<AgentRow>(tableNames.agents),
    retiredAgents: open<RetiredAgentRow>(tableNames.agents),
    identities: open<IdentityRow>(tableNames.identities),
    nonces: open<NonceRow>(tableNames.nonces),
    policies: open<PolicyRow>(tableNames.policies),
    items: open<ItemRow>(tableNames.items),
    jobs: open<JobRow>(tableNames.jobs),
    machineClaims: open<MachineClaimRow>(tableNames.machineClaims),
    diskCursors: open<DiskCursorRow>(tableNames.diskCursors),
    recoveryPoints: open<RecoveryPointRow>(tableNames.recoveryPoints),
    dataKeys: open<DataKeyRow>(tableNames.dataKeys),
    operatorKeys: open<OperatorKeyRow>(tableNames.operatorKeys),
    recoveryPlans: open<RecoveryPlanRow>(tableNames.recoveryPlans),
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
