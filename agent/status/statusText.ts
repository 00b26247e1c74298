/** `agent status` for a person: the registration, then one row per disk. */
import type { DiskStatus, StatusReport } from "./statusReport";

const units = ["B", "KiB", "MiB", "GiB", "TiB"];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function stateText(disk: DiskStatus): string {
  if (disk.state !== "initial copy" && disk.state !== "resync") return disk.state;
  const percent = disk.sizeBytes === 0 ? 100 : (100 * disk.copiedBytes) / disk.sizeBytes;
  return `${disk.state} ${percent.toFixed(1)}%`;
}

function row(disk: DiskStatus): string[] {
  return [
    disk.diskId,
    disk.path,
    stateText(disk),
    disk.lastAcknowledgedSequence === undefined
      ? "-"
      : `#${disk.lastAcknowledgedSequence} at ${disk.lastAcknowledgedAt ?? "?"}`,
    formatBytes(disk.backlogBytes),
    disk.doubt === undefined ? "-" : `${disk.doubt}${disk.doubtAt ? ` (since ${disk.doubtAt})` : ""}`,
  ];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)));
  return rows
    .map((cells) =>
      cells
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function statusText(report: StatusReport): string {
  const lines = [
    `Machine     ${report.machineId} (${report.hostname}), registered ${report.registeredAt}`,
    `Server      ${report.server}`,
  ];
  if (report.journalProblem === "missing") lines.push("Replication not started: no cycle has run yet");
  else if (report.journalProblem) lines.push(`Journal     ${report.journalProblem}: every disk is sent again`);
  const cycle = report.lastCycle;
  if (cycle) lines.push(`Last cycle  ${cycle.type} point ${cycle.recoveryPointId} at ${cycle.at}`);
  if (report.lastError) lines.push(`Last error  ${report.lastError.message} (${report.lastError.at})`);
  if (report.finalSync?.completedAt) lines.push(`Final sync  completed at ${report.finalSync.completedAt}`);
  const header = ["DISK", "PATH", "STATE", "LAST ACK", "BACKLOG", "DOUBT"];
  return [...lines, "", table([header, ...report.disks.map(row)])].join("\n");
}
