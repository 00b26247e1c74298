import { describe, expect, it } from "vitest";
import { agentRegisterRequest } from "../../shared/api/agent";
import { heartbeatRequest } from "../../shared/api/agentData";
import { registerApplianceRequest } from "../../shared/api/appliances";
import { emptyBodySchema } from "../../shared/api/common";
import { migrateRequest, testMigrateRequest } from "../../shared/api/operations";
import { safeParseBody } from "../../shared/api/parseBody";
import { createPolicyRequest } from "../../shared/api/policies";
import { createProjectRequest } from "../../shared/api/projects";
import { enableReplicationRequest, updateReplicatingServerRequest } from "../../shared/api/replications";
import { newId } from "../../shared/domain/ids";

const bytes = (size: number) => new Uint8Array(size).fill(3);
const at = new Date("2025-01-01T00:00:00Z");
const machineId = newId("machine", at, bytes);
const policyId = newId("policy", at, bytes);
const pointId = newId("recoveryPoint", at, bytes);

const goodReplication = {
  machineId,
  policyId,
  target: {
    resourceGroup: "rg-migrated",
    network: "vnet-prod",
    subnet: "default",
    vmName: "web01",
    vmSize: "auto",
    hybridBenefit: true,
    disks: [
      { diskId: "disk0", include: true, diskType: "Premium_LRS" },
      { diskId: "disk1", include: false, diskType: "Standard_LRS" },
    ],
  },
};

const goodAgent = {
  passphrase: "p".repeat(24),
  machine: {
    hostname: "web01.contoso.local",
    os: "Linux",
    osVersion: "Ubuntu 22.04",
    cpus: 2,
    memoryMiB: 4096,
    disks: [
      { id: "disk0", sizeBytes: 2 ** 30, isBoot: true },
      { id: "disk1", sizeBytes: 2 * 2 ** 30, isBoot: false },
    ],
    nics: [{ mac: "00:15:5d:01:02:03", ip: "10.0.0.4" }],
  },
};

function problem(schema: Parameters<typeof safeParseBody>[0], body: unknown) {
  const result = safeParseBody(schema, body);
  return result.ok
    ? undefined
    : {
        code: result.error.code,
        status: result.error.httpStatus,
        target: result.error.target,
        message: result.error.message,
      };
}

describe("API request schemas", () => {
  it("accept good bodies", () => {
    expect(
      problem(createProjectRequest, { name: "lift-2025", geography: "Europe", targetRegion: "westeurope" }),
    ).toBeUndefined();
    expect(problem(registerApplianceRequest, { registrationKey: "k".repeat(40), name: "appliance1" })).toBeUndefined();
    expect(problem(agentRegisterRequest, goodAgent)).toBeUndefined();
    expect(problem(enableReplicationRequest, goodReplication)).toBeUndefined();
    expect(
      problem(testMigrateRequest, { network: "vnet-test", recoveryPoint: "LatestApplicationConsistent" }),
    ).toBeUndefined();
    expect(problem(testMigrateRequest, { network: "vnet-test", recoveryPoint: pointId })).toBeUndefined();
    expect(problem(emptyBodySchema, undefined)).toBeUndefined();
  });

  it("refuse an unknown field and name it as the target", () => {
    expect(
      problem(createProjectRequest, { name: "p", geography: "Europe", targetRegion: "westeurope", colour: "blue" }),
    ).toMatchObject({
      code: "InvalidInput",
      status: 400,
      target: "colour",
      message: "colour: unknown field; remove it (see GET /api/openapi.json).",
    });
  });

  it("refuse unknown fields deep inside a body, with the full path", () => {
    const body = {
      ...goodReplication,
      target: {
        ...goodReplication.target,
        disks: [{ diskId: "disk0", include: true, diskType: "Premium_LRS", lun: 1 }],
      },
    };
    expect(problem(enableReplicationRequest, body)?.target).toBe("target.disks[0].lun");
    expect(problem(emptyBodySchema, { force: true })?.target).toBe("force");
  });

  it("name a missing field as required", () => {
    expect(problem(enableReplicationRequest, { machineId, target: goodReplication.target })).toMatchObject({
      target: "policyId",
      message: "policyId: is required.",
    });
  });

  it("refuse a disk type that is not an Azure managed disk SKU", () => {
    const body = {
      ...goodReplication,
      target: { ...goodReplication.target, disks: [{ diskId: "disk0", include: true, diskType: "UltraSSD_LRS" }] },
    };
    expect(problem(enableReplicationRequest, body)?.target).toBe("target.disks[0].diskType");
  });

  it("refuse a disk listed twice", () => {
    const disk = { diskId: "disk0", include: true, diskType: "Standard_LRS" };
    expect(
      problem(enableReplicationRequest, {
        ...goodReplication,
        target: { ...goodReplication.target, disks: [disk, disk] },
      })?.target,
    ).toBe("target.disks");
  });

  it("bound strings and numbers", () => {
    expect(
      problem(createProjectRequest, { name: "x".repeat(65), geography: "Europe", targetRegion: "westeurope" })?.target,
    ).toBe("name");
    expect(problem(agentRegisterRequest, { ...goodAgent, machine: { ...goodAgent.machine, cpus: 0 } })?.target).toBe(
      "machine.cpus",
    );
    expect(problem(agentRegisterRequest, { ...goodAgent, machine: { ...goodAgent.machine, cpus: 2.5 } })?.target).toBe(
      "machine.cpus",
    );
    expect(problem(agentRegisterRequest, { ...goodAgent, passphrase: "short" })?.target).toBe("passphrase");
    expect(
      problem(enableReplicationRequest, {
        ...goodReplication,
        target: { ...goodReplication.target, vmName: "v".repeat(60) },
      })?.target,
    ).toBe("target.vmName");
  });

  it("refuse ids with the wrong prefix or OData syntax", () => {
    expect(problem(enableReplicationRequest, { ...goodReplication, machineId: policyId })?.target).toBe("machineId");
    expect(problem(enableReplicationRequest, { ...goodReplication, machineId: "mch_' or true" })?.target).toBe(
      "machineId",
    );
    expect(problem(testMigrateRequest, { network: "vnet", recoveryPoint: "Newest" })?.target).toBe("recoveryPoint");
  });

  it("require exactly one boot disk and unique disk ids from the agent", () => {
    const twoBoots = {
      ...goodAgent,
      machine: { ...goodAgent.machine, disks: goodAgent.machine.disks.map((d) => ({ ...d, isBoot: true })) },
    };
    expect(problem(agentRegisterRequest, twoBoots)?.message).toMatch(/exactly one disk must be the boot disk/);
    const sameIds = {
      ...goodAgent,
      machine: { ...goodAgent.machine, disks: goodAgent.machine.disks.map((d) => ({ ...d, id: "disk0" })) },
    };
    expect(problem(agentRegisterRequest, sameIds)?.message).toMatch(/disk ids must be unique/);
  });

  it("never echo a secret back in an error", () => {
    const secret = "s3cr3t value with spaces";
    expect(
      JSON.stringify(safeParseBody(registerApplianceRequest, { registrationKey: secret, name: "a" })),
    ).not.toContain("s3cr3t");
  });

  it("default a migration to shutting the source down", () => {
    expect(safeParseBody(migrateRequest, {})).toEqual({ ok: true, value: { shutdownSource: true } });
    expect(safeParseBody(migrateRequest, { shutdownSource: false, recoveryPoint: "Latest" })).toEqual({
      ok: true,
      value: { shutdownSource: false, recoveryPoint: "Latest" },
    });
  });

  it("check policy ranges and the domain's cross-field rules", () => {
    const policy = {
      name: "gold",
      rpoThresholdMinutes: 60,
      recoveryPointRetentionHours: 72,
      crashConsistentFrequencyMinutes: 5,
      appConsistentFrequencyMinutes: 240,
    };
    expect(problem(createPolicyRequest, policy)).toBeUndefined();
    expect(problem(createPolicyRequest, { ...policy, recoveryPointRetentionHours: 361 })?.target).toBe(
      "recoveryPointRetentionHours",
    );
    expect(problem(createPolicyRequest, { ...policy, appConsistentFrequencyMinutes: 30 })?.target).toBe(
      "appConsistentFrequencyMinutes",
    );
    expect(problem(createPolicyRequest, { ...policy, recoveryPointRetentionHours: 1 })?.message).toMatch(
      /must not exceed the recovery point retention/,
    );
  });

  it("let PATCH change some target settings but not nothing", () => {
    expect(problem(updateReplicatingServerRequest, { target: { vmSize: "Standard_D4s_v5" } })).toBeUndefined();
    expect(problem(updateReplicatingServerRequest, { target: {} })?.target).toBe("target");
    expect(problem(updateReplicatingServerRequest, { target: { vmSize: "Standard_D4s_v5" }, policyId })?.target).toBe(
      "policyId",
    );
  });

  it("take the agent's reported problems in a heartbeat, and only the codes it can report", () => {
    const figures = { bytesSent: 0, bytesPerSecond: 0, backlogBytes: 0 };
    const diskFull = {
      code: "AgentStateDiskFull",
      message: "No space left in the agent's state directory",
      since: "2025-01-01T00:00:00Z",
      replicationStopped: true,
    };
    expect(problem(heartbeatRequest, { figures, problems: [diskFull] })).toBeUndefined();
    expect(problem(heartbeatRequest, { figures, problems: [{ ...diskFull, code: "Whatever" }] })?.target).toBe(
      "problems[0].code",
    );
    expect(problem(heartbeatRequest, { figures, problems: [{ ...diskFull, message: "" }] })?.target).toBe(
      "problems[0].message",
    );
  });

  it("report every problem in details, the first as the message", () => {
    const result = safeParseBody(createProjectRequest, { name: "", geography: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const details = (result.error.details?.details ?? []) as Array<{ target: string }>;
      expect(details.map((d) => d.target)).toEqual(["name", "geography", "targetRegion"]);
      expect(result.error.message).toMatch(/and 2 more problem/);
    }
  });
});
