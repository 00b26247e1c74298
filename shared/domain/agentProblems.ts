/**
 * Problems an agent reports about its own machine in its heartbeats (while they last), each a
 * health error of its item: the server cannot see them any other way, since the heartbeats that
 * carry them still arrive.
 */
import type { HealthError, HealthErrorCode } from "./healthErrors";

export const agentProblemCodes = ["AgentStateDiskFull"] as const satisfies readonly HealthErrorCode[];
export type AgentProblemCode = (typeof agentProblemCodes)[number];

export interface AgentProblem {
  readonly code: AgentProblemCode;
  readonly message: string;
  readonly since: Date;
  /** Nothing replicates until it is solved; otherwise replication goes on, slower. */
  readonly replicationStopped: boolean;
}

const recommendedActions: Record<AgentProblemCode, string> = {
  AgentStateDiskFull:
    "Free space in the agent's state directory on the source server (its --state-dir), or move it to a larger " +
    "volume; or restart the agent with a smaller FERRY_AGENT_BATCH_BYTES (its spool holds about two batches). " +
    "Replication resumes by itself once there is room.",
};

/**
 * Critical when replication stopped: no change reaches Azure and the RPO grows while heartbeats
 * look healthy, so nothing else turns the item Critical for twice the RPO threshold. Warning
 * while the agent still replicates (with smaller batches): points keep coming, but it needs care.
 */
export function agentProblemError(problem: AgentProblem): HealthError {
  return {
    code: problem.code,
    severity: problem.replicationStopped ? "Critical" : "Warning",
    message: `${problem.message} (reported since ${problem.since.toISOString()})`,
    recommendedAction: recommendedActions[problem.code],
  };
}
