import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../shared/api/openapi";
import { apiRouteList, routeList } from "../../shared/api/routes";

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

  it("documents every API route of the table, under its own name, and no other", () => {
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => `${method} ${path} ${String(operation.operationId)}`),
    );
    expect(documented.sort()).toEqual(
      apiRouteList.map((route) => `${route.method} ${route.path} ${route.name}`).sort(),
    );
  });

  it("leaves the portal's page and bundles out: they are the site, not the API", () => {
    const portal = routeList.filter((route) => route.portal === true).map((route) => route.name);
    expect(portal.sort()).toEqual(["portalAsset", "portalIndex"]);
    const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    expect(ids).not.toContain("portalIndex");
    expect(ids).not.toContain("portalAsset");
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
    expect(ids.size).toBe(apiRouteList.length);
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
