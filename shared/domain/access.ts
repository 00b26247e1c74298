/**
 * Who may call which operator route, as Azure RBAC scopes it: a role at a scope (one project, or
 * every project), and each route's access level. The bootstrap operator key is the administrator.
 */
export const operatorRoles = ["Reader", "Contributor", "Owner"] as const;
export type OperatorRole = (typeof operatorRoles)[number];

/**
 * What a route needs: `read` (every GET), `operate` (changes state or starts a job), `manageKeys`
 * (creates or deletes operator keys), `admin` (outside any one project: creating a project).
 */
export type Access = "read" | "operate" | "manageKeys" | "admin";

/** An authenticated caller. */
export type Principal =
  | { kind: "administrator" }
  | {
      kind: "role";
      role: OperatorRole;
      /** The one project the role holds in; undefined: every project (an Entra ID app role). */
      projectId?: string;
      /** How the caller proved it: an operator key's id, or the token's subject. */
      via: { operatorKeyId: string } | { subject: string };
    };

export type Decision = "allow" | "forbidden" | "notFound";

const rank: Record<OperatorRole, number> = { Reader: 1, Contributor: 2, Owner: 3 };
const needs: Record<Exclude<Access, "admin">, OperatorRole> = {
  read: "Reader",
  operate: "Contributor",
  manageKeys: "Owner",
};

/**
 * The one rule. Another project's ids answer as if they did not exist (404) before any role is
 * weighed, so a 403 never tells a caller that a project it cannot see exists. Creating a project is
 * for the administrator and for an Owner of every project.
 */
export function decideAccess(principal: Principal, access: Access, routeProjectId?: string): Decision {
  if (principal.kind === "administrator") return "allow";
  const scoped = principal.projectId !== undefined;
  if (scoped && routeProjectId !== undefined && routeProjectId !== principal.projectId) return "notFound";
  if (access === "admin") return !scoped && principal.role === "Owner" ? "allow" : "forbidden";
  return rank[principal.role] >= rank[needs[access]] ? "allow" : "forbidden";
}

/** The highest Ferry role among a token's app roles (`Ferry.Reader`, ...), or undefined when none is one. */
export function roleFromAppRoles(appRoles: readonly string[]): OperatorRole | undefined {
  const held = operatorRoles.filter((role) => appRoles.includes(`Ferry.${role}`));
  return held.sort((a, b) => rank[b] - rank[a])[0];
}

/** What `GET /whoami` answers: the caller's role and, for a project's key, its project. */
export function describePrincipal(principal: Principal): { role: "Administrator" | OperatorRole; projectId?: string } {
  if (principal.kind === "administrator") return { role: "Administrator" };
  return principal.projectId === undefined
    ? { role: principal.role }
    : { role: principal.role, projectId: principal.projectId };
}
