import type { RecoveryPoint, ReplicatingServer } from "../../client/resources";
import { renderTable, type Column, type Field } from "../output";
import { bytes, duration, list, speed, time } from "./format";

const testState = (s: ReplicatingServer) => (s.testMigrateState === "None" ? "" : s.testMigrateState);

function state(s: ReplicatingServer): string {
  const flags = [s.replicationPaused ? "paused" : "", s.resyncInProgress ? "resyncing" : ""].filter(Boolean);
  return flags.length > 0 ? `${s.migrationState} (${flags.join(", ")})` : s.migrationState;
}

/** The replicating servers grid, as the portal shows it. */
export const serverColumns: Column<ReplicatingServer>[] = [
  { header: "Name", cell: (s) => s.machineName },
  { header: "State", cell: state },
  { header: "Test state", cell: testState },
  { header: "Health", cell: (s) => s.health },
  { header: "Seeded", cell: (s) => `${s.initialSeedingProgress}%` },
  { header: "RPO", cell: (s) => duration(s.rpoSeconds) },
  { header: "Last point", cell: (s) => time(s.lastRecoveryPointTime) },
  { header: "Allowed operations", cell: (s) => list(s.allowedOperations) },
];

export const serverFields: Field<ReplicatingServer>[] = [
  ["Name", (s) => s.machineName],
  ["Id", (s) => s.id],
  ["State", state],
  ["Test state", testState],
  ["Health", (s) => s.health],
  ["Initial replication", (s) => `${s.initialSeedingProgress}%`],
  ["RPO", (s) => duration(s.rpoSeconds)],
  ["Last recovery point", (s) => time(s.lastRecoveryPointTime)],
  ["Last processed point", (s) => time(s.lastProcessedPointTime)],
  ["Upload speed", (s) => speed(s.agentFigures?.bytesPerSecond)],
  ["Backlog", (s) => (s.agentFigures ? bytes(s.agentFigures.backlogBytes) : undefined)],
  ["Last heartbeat", (s) => time(s.lastHeartbeatTime)],
  ["Resync", (s) => (s.resyncRequired ? `required${s.resyncReason ? `: ${s.resyncReason}` : ""}` : undefined)],
  ["Bandwidth cap", (s) => (s.throttleBytesPerSecond ? speed(s.throttleBytesPerSecond) : undefined)],
  ["Target", (s) => `${s.target.resourceGroup} / ${s.target.network} / ${s.target.subnet}`],
  ["VM name", (s) => s.target.vmName],
  ["VM size", (s) => s.target.vmSize],
  ["Allowed operations", (s) => list(s.allowedOperations)],
  ["Current job", (s) => s.currentJobId],
];

const diskColumns: Column<ReplicatingServer["disks"][number]>[] = [
  { header: "Disk", cell: (d) => `${d.diskId}${d.isBoot ? " (boot)" : ""}` },
  { header: "Size", cell: (d) => bytes(d.sizeBytes) },
  { header: "Included", cell: (d) => (d.include ? d.diskType : "no") },
  { header: "Replicated", cell: (d) => bytes(d.bytesReplicated) },
  { header: "Upload", cell: (d) => speed(d.uploadBytesPerSecond) },
];

/** What follows a server's fields: its disks and its health errors with what to do about them. */
export async function serverSections(s: ReplicatingServer): Promise<string[]> {
  const sections = [await renderTable(s.disks, diskColumns)];
  for (const error of s.healthErrors) {
    sections.push(`${error.severity} ${error.code}: ${error.message}\n  → ${error.recommendedAction}`);
  }
  return sections;
}

export const pointColumns: Column<RecoveryPoint>[] = [
  { header: "Time", cell: (p) => time(p.time) },
  { header: "Type", cell: (p) => p.type },
  { header: "Processed", cell: (p) => (p.processed ? "yes" : "not yet") },
  { header: "Id", cell: (p) => p.id },
];
