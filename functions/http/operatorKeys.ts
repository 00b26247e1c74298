import { createOperatorKeyRequest } from "../../shared/api/operatorKeys";
import { parseBody } from "../../shared/api/parseBody";
import { routes } from "../../shared/api/routes";
import { createOperatorKey, deleteOperatorKey, listOperatorKeys } from "../../shared/controlPlane/operatorKeys";
import { describePrincipal } from "../../shared/domain/access";
import { services } from "../../shared/services";
import { readJson } from "./body";
import { callerOf } from "./operatorAuth";
import { idParam, list } from "./params";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

export const postOperatorKey: HttpHandler = async (request) =>
  json(
    201,
    await createOperatorKey(
      services(),
      idParam(request, "project"),
      parseBody(createOperatorKeyRequest, await readJson(request)),
    ),
  );

export const getOperatorKeys: HttpHandler = async (request) =>
  json(200, list(await listOperatorKeys(services(), idParam(request, "project"))));

export const removeOperatorKey: HttpHandler = async (request) => {
  await deleteOperatorKey(services(), idParam(request, "project"), idParam(request, "operatorKey"));
  return { status: 204, headers: { "cache-control": "no-store" } };
};

export const getWhoAmI: HttpHandler = async (request) => json(200, describePrincipal(callerOf(request)));

register(routes.createOperatorKey, postOperatorKey);
register(routes.listOperatorKeys, getOperatorKeys);
register(routes.deleteOperatorKey, removeOperatorKey);
register(routes.whoAmI, getWhoAmI);
