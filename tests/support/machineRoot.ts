// A machine's identity files under a root of its own, as `agent run` reads them when
// FERRY_AGENT_SYSTEM_ROOT points there: two agents on one test machine can be two machines.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface MachineFiles {
  machineId: string;
  bootId: string;
  hostname: string;
}

/** Writes /etc/machine-id, the boot id and the host name under `dir/name`; returns that root. */
export function machineRoot(dir: string, name: string, facts: MachineFiles): string {
  const root = path.join(dir, name);
  mkdirSync(path.join(root, "etc"), { recursive: true });
  mkdirSync(path.join(root, "proc/sys/kernel/random"), { recursive: true });
  writeFileSync(path.join(root, "etc/machine-id"), `${facts.machineId}\n`);
  writeFileSync(path.join(root, "proc/sys/kernel/random/boot_id"), `${facts.bootId}\n`);
  writeFileSync(path.join(root, "proc/sys/kernel/hostname"), `${facts.hostname}\n`);
  return root;
}
