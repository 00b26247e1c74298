import type { Appliance, Machine, OperatorKey, Policy, Project } from "../../client/resources";
import type { Column, Field } from "../output";
import { bytes, list, time } from "./format";

export const projectColumns: Column<Project>[] = [
  { header: "Name", cell: (p) => p.name },
  { header: "Geography", cell: (p) => p.geography },
  { header: "Target region", cell: (p) => p.targetRegion },
  { header: "Id", cell: (p) => p.id },
];

export const projectFields: Field<Project>[] = [
  ["Name", (p) => p.name],
  ["Id", (p) => p.id],
  ["Geography", (p) => p.geography],
  ["Target region", (p) => p.targetRegion],
  ["Created", (p) => time(p.createdAt)],
];

export const applianceColumns: Column<Appliance>[] = [
  { header: "Name", cell: (a) => a.name },
  { header: "State", cell: (a) => a.state },
  { header: "Registered", cell: (a) => time(a.registeredAt) },
  { header: "Passphrase rotated", cell: (a) => time(a.passphraseRotatedAt) },
  { header: "Id", cell: (a) => a.id },
];

export const applianceFields: Field<Appliance>[] = [
  ["Name", (a) => a.name],
  ["Id", (a) => a.id],
  ["State", (a) => a.state],
  ["Registered", (a) => time(a.registeredAt)],
  ["Finalized", (a) => time(a.finalizedAt)],
  ["Passphrase rotated", (a) => time(a.passphraseRotatedAt)],
];

export const machineColumns: Column<Machine>[] = [
  { header: "Hostname", cell: (m) => m.hostname },
  { header: "OS", cell: (m) => `${m.os} ${m.osVersion}` },
  { header: "CPUs", cell: (m) => String(m.cpus) },
  { header: "Memory", cell: (m) => bytes(m.memoryMiB * 1024 * 1024) },
  { header: "Disks", cell: (m) => m.disks.map((d) => `${d.id} ${bytes(d.sizeBytes)}`).join(", ") },
  { header: "Replicating", cell: (m) => (m.replicatingServerId ? "yes" : "no") },
  { header: "Last heartbeat", cell: (m) => time(m.lastHeartbeatTime) },
];

export const machineFields: Field<Machine>[] = [
  ["Hostname", (m) => m.hostname],
  ["Id", (m) => m.id],
  ["OS", (m) => `${m.os} ${m.osVersion}`],
  ["CPUs", (m) => String(m.cpus)],
  ["Memory", (m) => bytes(m.memoryMiB * 1024 * 1024)],
  ["Disks", (m) => m.disks.map((d) => `${d.id} ${bytes(d.sizeBytes)}${d.isBoot ? " (boot)" : ""}`).join("\n")],
  ["NICs", (m) => list(m.nics.map((n) => `${n.mac} ${n.ip}`))],
  ["Agent version", (m) => m.agentVersion],
  ["Discovered", (m) => time(m.discoveredAt)],
  ["Last heartbeat", (m) => time(m.lastHeartbeatTime)],
  ["Replicating server", (m) => m.replicatingServerId],
];

export const policyColumns: Column<Policy>[] = [
  { header: "Name", cell: (p) => p.name },
  { header: "RPO threshold", cell: (p) => `${p.rpoThresholdMinutes} min` },
  { header: "Retention", cell: (p) => `${p.recoveryPointRetentionHours} h` },
  { header: "Crash-consistent", cell: (p) => `every ${p.crashConsistentFrequencyMinutes} min` },
  {
    header: "App-consistent",
    cell: (p) => (p.appConsistentFrequencyMinutes === 0 ? "off" : `every ${p.appConsistentFrequencyMinutes} min`),
  },
  { header: "Id", cell: (p) => p.id },
];

export const operatorKeyColumns: Column<OperatorKey>[] = [
  { header: "Name", cell: (k) => k.name },
  { header: "Role", cell: (k) => k.role },
  { header: "Expires", cell: (k) => time(k.expiresAt) || "never" },
  { header: "Last used", cell: (k) => time(k.lastUsedAt) },
  { header: "Id", cell: (k) => k.id },
];
