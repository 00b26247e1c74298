import { agentRegisterRequest, agentRegisterResponse } from "../agent";
import { batchAck, cycleRequest, cycleResponse, heartbeatRequest, heartbeatResponse } from "../agentData";
import { defineRoutes } from "./route";

const machine = "/agent/machines/{machineId}";

/** What the agent calls: registration, then its data path (docs/data-path.md). */
export const agentRoutes = defineRoutes({
  registerAgent: {
    method: "post",
    path: "/agent/register",
    summary: "Register a source machine's agent with the appliance passphrase",
    auth: "none",
    body: agentRegisterRequest,
    response: { status: 201, description: "Registered; the agent key is shown once.", schema: agentRegisterResponse },
  },
  agentHeartbeat: {
    method: "post",
    path: `${machine}/heartbeat`,
    summary: "Agent heartbeat: report figures, get instructions",
    auth: "agent",
    body: heartbeatRequest,
    response: { status: 200, description: "The instructions.", schema: heartbeatResponse },
  },
  agentPutBatch: {
    method: "put",
    path: `${machine}/items/{itemId}/disks/{diskId}/batches/{epoch}/{sequence}`,
    summary: "Upload a change batch (docs/data-path.md)",
    auth: "agent",
    binaryBody: true,
    response: {
      status: 200,
      description: "Acknowledged once durable; a resent batch gets the same answer.",
      schema: batchAck,
    },
  },
  agentCompleteCycle: {
    method: "post",
    path: `${machine}/items/{itemId}/cycles`,
    summary: "End a replication cycle: one recovery point for the machine",
    auth: "agent",
    body: cycleRequest,
    response: { status: 200, description: "The recovery point.", schema: cycleResponse },
  },
});
