import { app } from "@azure/functions";
import { buildOpenApiDocument } from "../../shared/api/openapi";
import { services } from "../../shared/services";
import { json, withErrors, type HttpHandler } from "./respond";

let document: unknown;

/** GET /api/openapi.json: generated from the schemas that validate requests. */
export const getOpenApi: HttpHandler = async () => {
  document ??= buildOpenApiDocument(services().config.version);
  return json(200, document);
};

app.http("openapi", {
  methods: ["GET"],
  route: "openapi.json",
  authLevel: "anonymous",
  handler: withErrors(getOpenApi),
});
