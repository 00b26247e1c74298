import { parseBody } from "../../shared/api/parseBody";
import { createPolicyRequest } from "../../shared/api/policies";
import { routes } from "../../shared/api/routes";
import { createPolicy, listPolicies } from "../../shared/controlPlane/policies";
import { services } from "../../shared/services";
import { readJson } from "./body";
import { idParam, list } from "./params";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

export const postPolicy: HttpHandler = async (request) =>
  json(
    201,
    await createPolicy(
      services(),
      idParam(request, "project"),
      parseBody(createPolicyRequest, await readJson(request)),
    ),
  );

export const getPolicies: HttpHandler = async (request) =>
  json(200, list(await listPolicies(services(), idParam(request, "project"))));

register(routes.createPolicy, postPolicy);
register(routes.listPolicies, getPolicies);
