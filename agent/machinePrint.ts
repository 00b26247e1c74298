/**
 * Reads the facts that tell this machine from a copy of it, for the fingerprint every request
 * carries: the SMBIOS UUID and /etc/machine-id (hashed together), the kernel's boot id (hashed),
 * and the hostname. `root` is where the system's files are read from ("/" unless
 * FERRY_AGENT_SYSTEM_ROOT says otherwise, e.g. for an agent in a container looking at its host).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeMachinePrint, type MachinePrint } from "../shared/api/machinePrint";

function readFact(root: string, file: string): string | undefined {
  try {
    const text = fs.readFileSync(path.join(root, file), "utf8").trim();
    return text || undefined;
  } catch {
    return undefined;
  }
}

const digest = (label: string, ...values: string[]) =>
  createHash("sha256")
    .update([label, ...values].join("\n"))
    .digest("hex")
    .slice(0, 32);

export function readMachinePrint(root = "/"): MachinePrint {
  // product_uuid is often readable by root only; machine-id by everyone.
  const bios = readFact(root, "sys/class/dmi/id/product_uuid")?.toLowerCase();
  const machineId = readFact(root, "etc/machine-id");
  const boot = readFact(root, "proc/sys/kernel/random/boot_id");
  const host = (readFact(root, "proc/sys/kernel/hostname") ?? os.hostname()).slice(0, 255);
  return {
    host,
    ...(bios || machineId ? { id: digest("ferry.machine", bios ?? "", machineId ?? "") } : {}),
    ...(boot ? { boot: digest("ferry.boot", boot) } : {}),
  };
}

/** The header value, read once per `agent run` (a new boot means a new process anyway). */
export function machineFingerprint(root = "/"): string {
  return encodeMachinePrint(readMachinePrint(root));
}
