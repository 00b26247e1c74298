import { createdOperatorKeySchema, createOperatorKeyRequest, operatorKeySchema, whoAmISchema } from "../operatorKeys";
import { defineRoutes, projectPath } from "./route";

const keys = `${projectPath}/operator-keys`;

/** Operator keys of one project, each with a role, and the caller's own view of itself. */
export const operatorKeyRoutes = defineRoutes({
  createOperatorKey: {
    method: "post",
    path: keys,
    summary: "Create an operator key for the project with a role (Reader, Contributor, Owner)",
    auth: "operator",
    access: "manageKeys",
    body: createOperatorKeyRequest,
    response: { status: 201, description: "The key, shown once.", schema: createdOperatorKeySchema },
  },
  listOperatorKeys: {
    method: "get",
    path: keys,
    summary: "List the project's operator keys (never their secrets)",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The keys.", schema: operatorKeySchema, list: true },
  },
  deleteOperatorKey: {
    method: "delete",
    path: `${keys}/{operatorKeyId}`,
    summary: "Delete an operator key: it stops working at once",
    auth: "operator",
    access: "manageKeys",
    response: { status: 204, description: "Deleted." },
  },
  whoAmI: {
    method: "get",
    path: "/whoami",
    summary: "The caller's role, and its project when it holds in one only",
    auth: "operator",
    access: "read",
    response: { status: 200, description: "The caller.", schema: whoAmISchema },
  },
});
