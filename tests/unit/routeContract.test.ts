import { describe, expect, it } from "vitest";
import { routeList, servedPath, type Access, type Auth } from "../../shared/api/routes";

/**
 * The public API as it is promised to the scripts written against it, by hand and on purpose not
 * read from the route table: a route added, dropped, moved or opened up there fails here until
 * this list (and the contract it copies) says so too. Paths are under /api, as the README writes
 * them, with the contract's short parameter names; the portal's files are at the site root.
 */
const operatorRoutes = [
  "POST /projects",
  "GET /projects",
  "GET /projects/{p}",
  "POST /projects/{p}/registration-keys",
  "POST /projects/{p}/appliances/{a}/finalize",
  "POST /projects/{p}/appliances/{a}/passphrase",
  "GET /projects/{p}/appliances",
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
  "POST /projects/{p}/operator-keys",
  "GET /projects/{p}/operator-keys",
  "DELETE /projects/{p}/operator-keys/{k}",
  // Added with the portal: figures over time, short-lived download links, the caller's role.
  "GET /projects/{p}/replicating-servers/{i}/metrics",
  "POST /projects/{p}/virtual-machines/{v}/disks/{d}/download-link",
  "GET /whoami",
  // Added with recovery plans: an application's servers in ordered groups, and resuming a manual step.
  "POST /projects/{p}/recovery-plans",
  "GET /projects/{p}/recovery-plans",
  "GET /projects/{p}/recovery-plans/{plan}",
  "PATCH /projects/{p}/recovery-plans/{plan}",
  "DELETE /projects/{p}/recovery-plans/{plan}",
  "POST /projects/{p}/recovery-plans/{plan}/test-migrate",
  "POST /projects/{p}/recovery-plans/{plan}/test-migrate-cleanup",
  "POST /projects/{p}/recovery-plans/{plan}/migrate",
  "POST /projects/{p}/recovery-plans/{plan}/complete",
  "POST /projects/{p}/jobs/{j}/resume",
];

/**
 * What each operator route needs of the caller's role, as the contract says: a Reader every GET,
 * an Owner the operator keys' changes, the administrator a new project; a Contributor the rest.
 */
const ownerRoutes = ["POST /projects/{p}/operator-keys", "DELETE /projects/{p}/operator-keys/{k}"];
const adminRoutes = ["POST /projects"];
// Minting a download link is a download: a Reader may download every VHD.
const readPosts = ["POST /projects/{p}/virtual-machines/{v}/disks/{d}/download-link"];
const accessOf = (route: string): Access => {
  if (adminRoutes.includes(route)) return "admin";
  if (readPosts.includes(route)) return "read";
  if (ownerRoutes.includes(route)) return "manageKeys";
  return route.startsWith("GET ") ? "read" : "operate";
};

/** No operator key: the registration key or passphrase in the body is the credential, or none is needed. */
const openRoutes = [
  "POST /appliances",
  "POST /agent/register",
  "GET /health",
  "GET /openapi.json",
  "GET /portal-config",
  // The signed token in the path is the credential, for one disk and 15 minutes.
  "GET /disk-downloads/{token}",
];

/** The portal's page and its hashed bundles, at the site root and open to anyone. */
const portalRoutes = ["GET /", "GET /assets/{name}"];

/** Added to the contract: the agent's data path (docs/data-path.md), each request signed with the agent's key. */
const agentRoutes = [
  "POST /agent/machines/{m}/heartbeat",
  "PUT /agent/machines/{m}/items/{i}/disks/{d}/batches/{epoch}/{seq}",
  "POST /agent/machines/{m}/items/{i}/cycles",
];

/** The contract abbreviates path parameters; the table names each after what it identifies, everywhere alike. */
const parameterNames: Record<string, string> = {
  p: "projectId",
  a: "applianceId",
  m: "machineId",
  i: "itemId",
  r: "recoveryPointId",
  j: "jobId",
  v: "vmId",
  d: "diskId",
  k: "operatorKeyId",
  plan: "planId",
  epoch: "epoch",
  seq: "sequence",
  token: "token",
  name: "name",
};

const spelledOut = (route: string) =>
  route.replace(/\{(\w+)\}/g, (_, short: string) => `{${parameterNames[short] ?? `unknown:${short}`}}`);

const underApi = (route: string) => route.replace(" /", " /api/").replace(/\/$/, "");

const contract: [string, Auth][] = [
  ...operatorRoutes.map((route): [string, Auth] => [underApi(spelledOut(route)), "operator"]),
  ...openRoutes.map((route): [string, Auth] => [underApi(spelledOut(route)), "none"]),
  ...agentRoutes.map((route): [string, Auth] => [underApi(spelledOut(route)), "agent"]),
  ...portalRoutes.map((route): [string, Auth] => [spelledOut(route), "none"]),
];

const byRoute = (a: [string, Auth], b: [string, Auth]) => a[0].localeCompare(b[0]);

describe("the route table", () => {
  it("holds exactly the routes of the API contract, each with the credential the contract asks for", () => {
    const table = routeList.map((route): [string, Auth] => [
      `${route.method.toUpperCase()} ${servedPath(route)}`,
      route.auth,
    ]);
    expect(table.sort(byRoute)).toEqual(contract.sort(byRoute));
  });

  it("gives every operator route the access the contract asks of the caller's role", () => {
    const table = routeList
      .filter((route) => route.auth === "operator")
      .map((route) => `${route.method.toUpperCase()} ${route.path} ${route.auth === "operator" ? route.access : ""}`);
    const expected = operatorRoutes.map((route) => `${spelledOut(route)} ${accessOf(route)}`);
    expect(table.sort()).toEqual(expected.sort());
  });
});
