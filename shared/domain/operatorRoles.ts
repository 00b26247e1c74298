/**
 * Who an operator is to Ferry. The bootstrap key administers everything; project-scoped keys
 * carry Site Recovery's roles. Pure, so the API and the portal read the same rules.
 */
export const operatorRoles = ["Administrator", "Owner", "Contributor", "Reader"] as const;
export type OperatorRole = (typeof operatorRoles)[number];

/** A Reader looks; every other role may start, change and cancel operations. */
export function mayAct(role: OperatorRole): boolean {
  return role !== "Reader";
}
