import type { z } from "zod";
import { agentRegisterRequest, agentRegisterResponse } from "./agent";
import { batchAck, cycleRequest, cycleResponse, heartbeatRequest, heartbeatResponse } from "./agentData";
import { applianceSchema, passphraseResponse, registerApplianceRequest, registerApplianceResponse } from "./appliances";
import { emptyBodySchema } from "./common";
import { jobEnvelope, jobListQuery, jobSchema } from "./jobs";
import { machineSchema } from "./machines";
import { migrateRequest, recoveryPointSchema, testMigrateRequest } from "./operations";
import { createPolicyRequest, policySchema } from "./policies";
import { createProjectRequest, projectSchema, registrationKeyResponse } from "./projects";
import {
  enableReplicationRequest,
  enableReplicationResponse,
  replicatingServerSchema,
  updateReplicatingServerRequest,
} from "./replications";
import { hostHealthSchema } from "./system";
import { virtualMachineSchema } from "./virtualMachines";

/**
 * Every route of the operator and agent APIs (DESIGN §8), under /api. Handlers and the OpenAPI
 * document both read this table, so the document describes the schemas that really validate.
 */
/** "agent": signed with the agent's own key (DESIGN §6). */
export type Auth = "operator" | "agent" | "none";

export interface RouteResponse {
  readonly status: number;
  readonly description: string;
  readonly schema?: z.ZodType;
  /** The body is `{ value: [schema], nextLink? }`. */
  readonly list?: boolean;
  /** A binary stream instead of JSON. */
  readonly binary?: boolean;
}

export interface Route {
  readonly method: "get" | "post" | "patch" | "put";
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly auth: Auth;
  readonly body?: z.ZodType;
  /** A binary request body (a change batch) instead of JSON. */
  readonly binaryBody?: boolean;
  readonly query?: z.ZodObject;
  readonly response: RouteResponse;
}

const p = "/projects/{projectId}";
const item = `${p}/replicating-servers/{itemId}`;
const agentMachine = "/agent/machines/{machineId}";
const accepted = (description: string): RouteResponse => ({ status: 202, description, schema: jobEnvelope });

function itemOperation(
  segment: string,
  operationId: string,
  summary: string,
  body: z.ZodType = emptyBodySchema,
): Route {
  return {
    method: "post",
    path: `${item}/${segment}`,
    operationId,
    summary,
    auth: "operator",
    body,
    response: accepted(`${summary} started.`),
  };
}

export const routes: readonly Route[] = [
  {
    method: "post",
    path: "/projects",
    operationId: "createProject",
    summary: "Create a project",
    auth: "operator",
    body: createProjectRequest,
    response: { status: 201, description: "Created.", schema: projectSchema },
  },
  {
    method: "get",
    path: "/projects",
    operationId: "listProjects",
    summary: "List projects",
    auth: "operator",
    response: { status: 200, description: "The projects.", schema: projectSchema, list: true },
  },
  {
    method: "get",
    path: p,
    operationId: "getProject",
    summary: "Get a project",
    auth: "operator",
    response: { status: 200, description: "The project.", schema: projectSchema },
  },
  {
    method: "post",
    path: `${p}/registration-keys`,
    operationId: "createRegistrationKey",
    summary: "Generate an appliance registration key (single use, 5 days)",
    auth: "operator",
    body: emptyBodySchema,
    response: { status: 201, description: "The key, shown once.", schema: registrationKeyResponse },
  },
  {
    method: "post",
    path: "/appliances",
    operationId: "registerAppliance",
    summary: "Register an appliance with a registration key",
    auth: "none",
    body: registerApplianceRequest,
    response: {
      status: 201,
      description: "Registered; the passphrase is shown once.",
      schema: registerApplianceResponse,
    },
  },
  {
    method: "get",
    path: `${p}/appliances`,
    operationId: "listAppliances",
    summary: "List appliances",
    auth: "operator",
    response: { status: 200, description: "The appliances.", schema: applianceSchema, list: true },
  },
  {
    method: "post",
    path: `${p}/appliances/{applianceId}/finalize`,
    operationId: "finalizeAppliance",
    summary: "Finalize an appliance registration",
    auth: "operator",
    body: emptyBodySchema,
    response: { status: 200, description: "Finalized.", schema: applianceSchema },
  },
  {
    method: "post",
    path: `${p}/appliances/{applianceId}/passphrase`,
    operationId: "rotatePassphrase",
    summary: "Rotate the appliance passphrase (registered agents keep working)",
    auth: "operator",
    body: emptyBodySchema,
    response: { status: 200, description: "The new passphrase, shown once.", schema: passphraseResponse },
  },
  {
    method: "post",
    path: "/agent/register",
    operationId: "registerAgent",
    summary: "Register a source machine's agent with the appliance passphrase",
    auth: "none",
    body: agentRegisterRequest,
    response: { status: 201, description: "Registered; the agent key is shown once.", schema: agentRegisterResponse },
  },
  {
    method: "post",
    path: `${agentMachine}/heartbeat`,
    operationId: "agentHeartbeat",
    summary: "Agent heartbeat: report figures, get instructions",
    auth: "agent",
    body: heartbeatRequest,
    response: { status: 200, description: "The instructions.", schema: heartbeatResponse },
  },
  {
    method: "put",
    path: `${agentMachine}/items/{itemId}/disks/{diskId}/batches/{epoch}/{sequence}`,
    operationId: "agentPutBatch",
    summary: "Upload a change batch (docs/data-path.md)",
    auth: "agent",
    binaryBody: true,
    response: {
      status: 200,
      description: "Acknowledged once durable; a resent batch gets the same answer.",
      schema: batchAck,
    },
  },
  {
    method: "post",
    path: `${agentMachine}/items/{itemId}/cycles`,
    operationId: "agentCompleteCycle",
    summary: "End a replication cycle: one recovery point for the machine",
    auth: "agent",
    body: cycleRequest,
    response: { status: 200, description: "The recovery point.", schema: cycleResponse },
  },
  {
    method: "get",
    path: `${p}/machines`,
    operationId: "listMachines",
    summary: "List discovered servers",
    auth: "operator",
    response: { status: 200, description: "The machines.", schema: machineSchema, list: true },
  },
  {
    method: "get",
    path: `${p}/machines/{machineId}`,
    operationId: "getMachine",
    summary: "Get a discovered server",
    auth: "operator",
    response: { status: 200, description: "The machine.", schema: machineSchema },
  },
  {
    method: "post",
    path: `${p}/policies`,
    operationId: "createPolicy",
    summary: "Create a replication policy",
    auth: "operator",
    body: createPolicyRequest,
    response: { status: 201, description: "Created.", schema: policySchema },
  },
  {
    method: "get",
    path: `${p}/policies`,
    operationId: "listPolicies",
    summary: "List replication policies",
    auth: "operator",
    response: { status: 200, description: "The policies.", schema: policySchema, list: true },
  },
  {
    method: "post",
    path: `${p}/replications`,
    operationId: "enableReplication",
    summary: "Start replicating a machine",
    auth: "operator",
    body: enableReplicationRequest,
    response: {
      status: 202,
      description: "The item and its Start replication job.",
      schema: enableReplicationResponse,
    },
  },
  {
    method: "get",
    path: `${p}/replicating-servers`,
    operationId: "listReplicatingServers",
    summary: "List replicating servers",
    auth: "operator",
    response: { status: 200, description: "The items.", schema: replicatingServerSchema, list: true },
  },
  {
    method: "get",
    path: item,
    operationId: "getReplicatingServer",
    summary: "Get a replicating server",
    auth: "operator",
    response: { status: 200, description: "The item.", schema: replicatingServerSchema },
  },
  {
    method: "patch",
    path: item,
    operationId: "updateReplicatingServer",
    summary: "Change target settings or the bandwidth cap",
    auth: "operator",
    body: updateReplicatingServerRequest,
    response: { status: 200, description: "The updated item.", schema: replicatingServerSchema },
  },
  {
    method: "get",
    path: `${item}/recovery-points`,
    operationId: "listRecoveryPoints",
    summary: "List recovery points",
    auth: "operator",
    response: { status: 200, description: "The points, newest first.", schema: recoveryPointSchema, list: true },
  },
  {
    method: "post",
    path: `${item}/recovery-points/{recoveryPointId}/verify`,
    operationId: "verifyRecoveryPoint",
    summary: "Compute each disk's SHA-256 at a recovery point",
    auth: "operator",
    body: emptyBodySchema,
    response: accepted("The job; its result holds each disk's SHA-256."),
  },
  itemOperation("test-migrate", "testMigrate", "Test migration", testMigrateRequest),
  itemOperation("test-migrate-cleanup", "testMigrateCleanup", "Test migration cleanup"),
  itemOperation("migrate", "migrate", "Migration", migrateRequest),
  itemOperation("complete", "completeMigration", "Complete migration (stop replication)"),
  itemOperation("resync", "resync", "Resynchronization"),
  itemOperation("pause", "pauseReplication", "Pause replication"),
  itemOperation("resume", "resumeReplication", "Resume replication"),
  {
    method: "get",
    path: `${p}/jobs`,
    operationId: "listJobs",
    summary: "List jobs",
    auth: "operator",
    query: jobListQuery,
    response: { status: 200, description: "The jobs, newest first.", schema: jobSchema, list: true },
  },
  {
    method: "get",
    path: `${p}/jobs/{jobId}`,
    operationId: "getJob",
    summary: "Get a job",
    auth: "operator",
    response: { status: 200, description: "The job.", schema: jobSchema },
  },
  {
    method: "post",
    path: `${p}/jobs/{jobId}/cancel`,
    operationId: "cancelJob",
    summary: "Cancel a running test migration or migration",
    auth: "operator",
    body: emptyBodySchema,
    response: accepted(
      "Cancellation accepted: the job undoes what it made and ends Cancelled. " +
        "Once its last task has started (or a task failed, or it ended) " +
        "the answer is 409 OperationNotAllowed and nothing changes.",
    ),
  },
  {
    method: "get",
    path: `${p}/virtual-machines`,
    operationId: "listVirtualMachines",
    summary: "List created VMs",
    auth: "operator",
    response: { status: 200, description: "The VMs.", schema: virtualMachineSchema, list: true },
  },
  {
    method: "get",
    path: `${p}/virtual-machines/{vmId}`,
    operationId: "getVirtualMachine",
    summary: "Get a created VM",
    auth: "operator",
    response: { status: 200, description: "The VM.", schema: virtualMachineSchema },
  },
  {
    method: "get",
    path: `${p}/virtual-machines/{vmId}/disks/{diskId}`,
    operationId: "getVirtualMachineDisk",
    summary: "Download a disk as a fixed VHD (Range supported)",
    auth: "operator",
    response: { status: 200, description: "The fixed VHD bytes.", binary: true },
  },
  {
    method: "get",
    path: "/health",
    operationId: "getHealth",
    summary: "Host health: storage reachable, versions",
    auth: "none",
    response: { status: 200, description: "Health.", schema: hostHealthSchema },
  },
  {
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApi",
    summary: "This document",
    auth: "none",
    response: { status: 200, description: "The OpenAPI 3.1 document." },
  },
];
