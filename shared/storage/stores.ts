import type { ApplianceRow, AgentRow, IdentityRow, MachineRow, NonceRow, ProjectRow, RegistrationKeyRow } from "./rows";
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
  /** Creates the tables once per process. */
  ready(): Promise<void>;
}

export function createStores(connectionString: string): Stores {
  const open = <T extends object>(name: string) => TableStore.fromConnectionString<T>(connectionString, name);
  const tables = {
    projects: open<ProjectRow>("FerryProjects"),
    registrationKeys: open<RegistrationKeyRow>("FerryRegistrationKeys"),
    appliances: open<ApplianceRow>("FerryAppliances"),
    machines: open<MachineRow>("FerryMachines"),
    agents: open<AgentRow>("FerryAgents"),
    identities: open<IdentityRow>("FerryMachineIdentities"),
    nonces: open<NonceRow>("FerryNonces"),
  };
  let created: Promise<void> | undefined;
  return {
    ...tables,
    ready() {
      created ??= Promise.all(Object.values(tables).map((t) => t.ensure())).then(() => undefined);
      created.catch(() => { created = undefined; });
      return created;
    },
  };
}
