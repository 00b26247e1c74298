import { emptyBodySchema } from "../common";
import { machineSchema } from "../machines";
import { itemMetricsSchema, metricsQuery } from "../metrics";
import { recoveryPointSchema } from "../operations";
import { createPolicyRequest, policySchema } from "../policies";
import {
  enableReplicationRequest,
  enableReplicationResponse,
  replicatingServerSchema,
  updateReplicatingServerRequest,
} from "../replications";
import { accepted, defineRoutes, itemPath, projectPath } from "./route";

/** Discovered servers, policies, replicating servers and their recovery points. */
export const replicationRoutes = defineRoutes({
  listMachines: {
    method: "get",
    path: `${projectPath}/machines`,
    summary: "List discovered servers",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The machines.", schema: machineSchema, list: true },
  },
  getMachine: {
    method: "get",
    path: `${projectPath}/machines/{machineId}`,
    summary: "Get a discovered server",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The machine.", schema: machineSchema },
  },
  createPolicy: {
    method: "post",
    path: `${projectPath}/policies`,
    summary: "Create a replication policy",
    auth: "operator",
    access: "operate",
    body: createPolicyRequest,
    response: { status: 201, description: "Created.", schema: policySchema },
  },
  listPolicies: {
    method: "get",
    path: `${projectPath}/policies`,
    summary: "List replication policies",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The policies.", schema: policySchema, list: true },
  },
  enableReplication: {
    method: "post",
    path: `${projectPath}/replications`,
    summary: "Start replicating a machine",
    auth: "operator",
    access: "operate",
    body: enableReplicationRequest,
    response: {
      status: 202,
      description: "The item and its Start replication job.",
      schema: enableReplicationResponse,
    },
  },
  listReplicatingServers: {
    method: "get",
    path: `${projectPath}/replicating-servers`,
    summary: "List replicating servers",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The items.", schema: replicatingServerSchema, list: true },
  },
  getReplicatingServer: {
    method: "get",
    path: itemPath,
    summary: "Get a replicating server",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The item.", schema: replicatingServerSchema },
  },
  updateReplicatingServer: {
    method: "patch",
    path: itemPath,
    summary: "Change target settings or the bandwidth cap",
    auth: "operator",
    access: "operate",
    body: updateReplicatingServerRequest,
    response: { status: 200, description: "The updated item.", schema: replicatingServerSchema },
  },
  getReplicatingServerMetrics: {
    method: "get",
    path: `${itemPath}/metrics`,
    summary: "RPO, lag, upload speed, backlog and health over time",
    auth: "operator",
    access: "read",
    query: metricsQuery,
    response: {
      status: 200,
      description: "The samples, oldest first, and the health changes.",
      schema: itemMetricsSchema,
    },
  },
  listRecoveryPoints: {
    method: "get",
    path: `${itemPath}/recovery-points`,
    summary: "List recovery points",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The points, newest first.", schema: recoveryPointSchema, list: true },
  },
  verifyRecoveryPoint: {
    method: "post",
    path: `${itemPath}/recovery-points/{recoveryPointId}/verify`,
    summary: "Compute each disk's SHA-256 at a recovery point",
    auth: "operator",
    access: "operate",
    body: emptyBodySchema,
    response: accepted("The job; its result holds each disk's SHA-256."),
  },
});
