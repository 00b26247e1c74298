import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../shared/api/openapi";
import { routes } from "../../shared/api/routes";

/** DESIGN.md §8, as written there: "METHOD path" with {x} for each parameter. */
const designRoutes = [
  "POST /projects",
  "GET /projects",
  "GET /projects/{p}",
  "POST /projects/{p}/registration-keys",
  "POST /appliances",
  "POST /projects/{p}/appliances/{a}/finalize",
  "POST /projects/{p}/appliances/{a}/passphrase",
  "GET /projects/{p}/appliances",
  "POST /agent/register",
  "GET /projects/{p}/machines",
  "GET /projects/{p}/machines/{m}",
  "POST /projects/{p}/policies",
  "GET /projects/{p}/policies",
  "POST /projects/{p}/replications",
  "GET /projects/{p}/replicating-servers",
  "GET /projects/{p}/replicating-servers/{i}",
  "PATCH /projects/{p}/replicating-servers/{i}",
  "GET /projects/{p}/replicating-servers/{i}/recovery-points",
  "POST /projects/{p}/replicating-servers/{i}/recovery-points/{r}/verify",
  "POST /projects/{p}/replicating-servers/{i}/test-migrate",
  "POST /projects/{p}/replicating-servers/{i}/test-migrate-cleanup",
  "POST /projects/{p}/replicating-servers/{i}/migrate",
  "POST /projects/{p}/replicating-servers/{i}/complete",
  "POST /projects/{p}/replicating-servers/{i}/resync",
  "POST /projects/{p}/replicating-servers/{i}/pause",
  "POST /projects/{p}/replicating-servers/{i}/resume",
  "GET /projects/{p}/jobs",
  "GET /projects/{p}/jobs/{j}",
  "POST /projects/{p}/jobs/{j}/cancel",
  "GET /projects/{p}/virtual-machines",
  "GET /projects/{p}/virtual-machines/{v}",
  "GET /projects/{p}/virtual-machines/{v}/disks/{d}",
  "GET /health",
  "GET /openapi.json",
  // Beyond DESIGN §8: the agent's data path (docs/data-path.md).
  "POST /agent/machines/{m}/heartbeat",
  "PUT /agent/machines/{m}/items/{i}/disks/{d}/batches/{e}/{s}",
  "POST /agent/machines/{m}/items/{i}/cycles",
];

const shape = (path: string) => path.replace(/\{\w+\}/g, "{}");
type Json = Record<string, unknown>;

describe("OpenAPI document", () => {
  const doc = buildOpenApiDocument("1.2.3") as Json & {
    paths: Record<string, Record<string, Json>>;
    components: { schemas: Record<string, Json> };
  };

  it("is OpenAPI 3.1 with info, servers, security and components", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: "Ferry", version: "1.2.3" });
    expect(doc.servers).toEqual([{ url: "/api" }]);
    expect(Object.keys(doc.components.schemas).length).toBeGreaterThan(20);
  });

  it("documents every route of DESIGN §8 and no other", () => {
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${shape(path)}`),
    );
    expect(documented.sort()).toEqual(
      designRoutes.map((route) => route.replace(/ (.*)$/, (_, path: string) => ` ${shape(path)}`)).sort(),
    );
  });

  it("gives every operation a unique id, its path parameters and a success response", () => {
    const ids = new Set<string>();
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const operation of Object.values(methods)) {
        ids.add(operation.operationId as string);
        const parameters = (operation.parameters as Json[])
          .filter((parameter) => parameter.in === "path")
          .map((parameter) => `{${String(parameter.name)}}`);
        expect(parameters.join("")).toBe((path.match(/\{\w+\}/g) ?? []).join(""));
        expect(Object.keys(operation.responses as Json).some((status) => status.startsWith("2"))).toBe(true);
      }
    }
    expect(ids.size).toBe(routes.length);
  });

  it("resolves every $ref to a component", () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map(
      (match) => match[1]!,
    );
    expect(refs.length).toBeGreaterThan(30);
    for (const ref of refs) expect(doc.components.schemas[ref], ref).toBeDefined();
  });

  it("describes requests as strict, as the validator is", () => {
    expect(doc.components.schemas.EnableReplicationRequest).toMatchObject({
      additionalProperties: false,
      required: ["machineId", "policyId", "target"],
    });
    const migrate = doc.components.schemas.MigrateRequest as { required?: string[] };
    expect(migrate.required ?? []).not.toContain("shutdownSource");
  });

  it("leaves the appliance and agent registration and health open, and guards the rest", () => {
    expect(doc.paths["/appliances"]!.post!.security).toEqual([]);
    expect(doc.paths["/agent/register"]!.post!.security).toEqual([]);
    expect(doc.paths["/health"]!.get!.security).toEqual([]);
    expect(doc.paths["/projects"]!.get!.security).toBeUndefined();
    expect(doc.security).toEqual([{ operatorKey: [] }]);
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});
