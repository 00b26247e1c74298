/**
 * The agent's side of the replication protocol, from the schemas it shares with the process
 * server (shared/api/agentData.ts): heartbeat, batch PUT and cycle POST under
 * `{server}/agent/machines/{m}/...`.
 */
import { batchPath } from "../../shared/api/agentData";

export {
  batchAck as batchAckSchema,
  cycleResponse as cycleResponseSchema,
  heartbeatResponse as heartbeatResponseSchema,
  type BatchAck,
  type CycleRequest,
  type DiskInstruction,
  type HeartbeatRequest,
} from "../../shared/api/agentData";
export { agentActions, diskModes, type AgentAction, type DiskMode } from "../../shared/domain/agentInstructions";
export type { RecoveryPointType as PointType } from "../../shared/domain/recoveryPoints";

import type { HeartbeatResponse } from "../../shared/api/agentData";

export type Instructions = HeartbeatResponse["instructions"];

export interface DiskFigures {
  diskId: string;
  bytesScanned: number;
  bytesSent: number;
}

const seg = encodeURIComponent;

export const agentPaths = {
  heartbeat: (machineId: string) => `agent/machines/${seg(machineId)}/heartbeat`,
  batch: batchPath,
  cycles: (machineId: string, itemId: string) => `agent/machines/${seg(machineId)}/items/${seg(itemId)}/cycles`,
};
