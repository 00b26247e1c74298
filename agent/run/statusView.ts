/** What `agent status` shows of the journal: per disk positions, the last ack, the last cycle and error. */
import type { AgentState } from "../state";
import { readJournal } from "./journal";

export function journalStatus(stateDir: string, state: AgentState): Record<string, unknown> {
  const { journal, problem } = readJournal(stateDir);
  if (problem === "missing") return { state: "not replicated yet" };
  return {
    ...(problem ? { problem: `the journal is ${problem}` } : {}),
    disks: Object.entries(journal.disks).map(([diskId, disk]) => {
      const size = state.disks.find((local) => local.id === diskId)?.sizeBytes ?? 0;
      return {
        diskId,
        epoch: disk.epoch,
        mode: disk.mode,
        nextSequence: disk.nextSequence,
        initialCopy: disk.copyComplete
          ? "complete"
          : `${disk.copyOffset} of ${size} bytes (${size ? ((100 * disk.copyOffset) / size).toFixed(1) : "0"}%)`,
        ...(disk.lastAck ? { lastAck: disk.lastAck } : {}),
        ...(disk.doubt ? { doubt: disk.doubt } : {}),
      };
    }),
    ...(journal.lastCycle ? { lastCycle: journal.lastCycle } : {}),
    ...(journal.lastError ? { lastError: journal.lastError } : {}),
    ...(journal.finalSync ? { finalSync: journal.finalSync } : {}),
  };
}
