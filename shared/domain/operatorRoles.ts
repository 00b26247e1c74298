/**
 * Who an operator is to Ferry, as `GET /whoami` tells it: the bootstrap key administers everything;
 * project keys and Entra ID app roles carry Reader, Contributor or Owner. Pure, so the portal reads
 * the same rule the API enforces (`access.ts`).
 */
import { decideAccess, operatorRoles as projectRoles, type Access, type Principal } from "./access";

export const operatorRoles = ["Administrator", ...projectRoles] as const;
export type OperatorRole = (typeof operatorRoles)[number];

const principalOf = (role: OperatorRole): Principal =>
  role === "Administrator" ? { kind: "administrator" } : { kind: "role", role, via: { subject: "" } };

/** Whether a caller of this role may call routes of this access in its own project. */
export function mayCall(role: OperatorRole, access: Access): boolean {
  return decideAccess(principalOf(role), access) === "allow";
}

/** A Reader looks; every other role may start, change and cancel operations. */
export const mayAct = (role: OperatorRole): boolean => mayCall(role, "operate");
