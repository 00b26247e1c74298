import { app } from "@azure/functions";
import { parseBody } from "../../shared/api/parseBody";
import { createPolicyRequest } from "../../shared/api/policies";
import { createPolicy, listPolicies } from "../../shared/controlPlane/policies";
import { services } from "../../shared/services";
import { readJson } from "./body";
import { operator } from "./operatorAuth";
import { idParam, list } from "./params";
import { json, withErrors, type HttpHandler } from "./respond";

export const postPolicy: HttpHandler = async (request) =>
  json(
    201,
    await createPolicy(
      services(),
      idParam(request, "p", "project"),
      parseBody(createPolicyRequest, await readJson(request)),
    ),
  );

export const getPolicies: HttpHandler = async (request) =>
  json(200, list(await listPolicies(services(), idParam(request, "p", "project"))));

app.http("createPolicy", {
  methods: ["POST"],
  route: "projects/{p}/policies",
  authLevel: "anonymous",
  handler: withErrors(operator(postPolicy)),
});
app.http("listPolicies", {
  methods: ["GET"],
  route: "projects/{p}/policies",
  authLevel: "anonymous",
  handler: withErrors(operator(getPolicies)),
});
