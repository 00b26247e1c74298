import { buildOpenApiDocument } from "../../shared/api/openapi";
import { routes } from "../../shared/api/routes";
import { services } from "../../shared/services";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

let document: unknown;

/** GET /api/openapi.json: generated from the schemas that validate requests. */
export const getOpenApi: HttpHandler = async () => {
  document ??= buildOpenApiDocument(services().config.version);
  return json(200, document);
};

register(routes.getOpenApi, getOpenApi);
