/**
 * The machine fingerprint of a signed request checked against what its key was used from
 * (`shared/domain/machinePrints.ts`): a request from a copy of the machine is refused with
 * AgentCloned, and the machine's item shows the health error. Agents that send no fingerprint
 * (older ones) are not checked.
 */
import { decodeMachinePrint } from "../api/machinePrint";
import { errors, isFerryError } from "../domain/errors";
import { judgePrint, type MachinePrint, type PrintRecord, type PrintVerdict } from "../domain/machinePrints";
import { columns } from "../storage/columns";
import { updateRow } from "../storage/optimistic";
import type { AgentRow } from "../storage/rows";
import type { ControlPlaneDeps } from "./deps";
import { changeItem } from "./items";

const recordOf = (row: AgentRow): PrintRecord | undefined =>
  row.print === undefined ? undefined : columns.agentPrint.parse(row.print);

const changes = (verdict: PrintVerdict, recorded: PrintRecord | undefined) =>
  verdict.record !== undefined && verdict.record !== recorded;

export async function checkMachinePrint(
  deps: ControlPlaneDeps,
  agent: { machineId: string; row: AgentRow },
  header: string | undefined,
): Promise<void> {
  if (header === undefined) return;
  const print = decodeMachinePrint(header);
  if (!print) throw errors.invalidSignature("The machine fingerprint header is malformed.");
  const recorded = recordOf(agent.row);
  let verdict = judgePrint(recorded, print, deps.now());
  if (changes(verdict, recorded)) {
    // Judged again on the fresh row when another request changed it meanwhile.
    await updateRow(deps.stores.agents, agent.machineId, "agent", (row) => {
      const fresh = recordOf(row);
      verdict = judgePrint(fresh, print, deps.now());
      const record = changes(verdict, fresh) ? verdict.record : undefined;
      return record ? { ...row, print: columns.agentPrint.serialize(record) } : undefined;
    });
    if (verdict.clone)
      await markItem(deps, { machineId: agent.machineId, projectId: agent.row.projectId }, verdict.clone);
  }
  if (verdict.holdSeconds !== undefined) throw errors.newBootWaiting(verdict.holdSeconds);
  if (!verdict.accepted) throw errors.agentCloned(agent.machineId, print.host);
}

/** The machine's item (if it replicates) shows the clone until it has been quiet a while. */
async function markItem(
  deps: ControlPlaneDeps,
  agent: { machineId: string; projectId: string },
  clone: MachinePrint,
): Promise<void> {
  const claim = await deps.stores.machineClaims.get(agent.projectId, agent.machineId);
  if (!claim) return;
  const seen = columns.itemAgentClone.serialize({ host: clone.host, seenAt: deps.now().toISOString() });
  await changeItem(deps, agent.projectId, claim.value.itemId, (row) =>
    row.machineId === agent.machineId ? { ...row, agentClone: seen } : undefined,
  ).catch((error: unknown) => {
    // The item went meanwhile (replication removed): nothing left to show the error on.
    if (!isFerryError(error) || error.code !== "NotFound") throw error;
  });
}
