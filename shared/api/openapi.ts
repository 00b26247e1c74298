import * as z from "zod";
import { apiRegistry, emptyBodySchema, errorBodySchema } from "./common";
import { apiRouteList, type Route, type RouteResponse } from "./routes";

/** The OpenAPI 3.1 document, generated from the very schemas that validate requests. */
type JsonObject = { [key: string]: unknown };

const componentUri = (id: string) => `#/components/schemas/${id}`;

function componentId(schema: z.ZodType): string {
  const id = apiRegistry.get(schema)?.id;
  if (id === undefined) throw new Error("Every schema used by a route must be registered with named().");
  return id;
}

const ref = (schema: z.ZodType) => ({ $ref: componentUri(componentId(schema)) });

/** Components carry no $schema or $id of their own: the document's dialect and location apply. */
function stripMeta(schema: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$schema" && key !== "$id"));
}

/** Requests are described as clients send them (defaults optional), responses as servers send them. */
function componentSchemas(): JsonObject {
  const requestIds = new Set(
    apiRouteList.flatMap((route) => (route.body === undefined ? [] : [componentId(route.body)])),
  );
  const inputs = z.toJSONSchema(apiRegistry, { io: "input", uri: componentUri }).schemas;
  const outputs = z.toJSONSchema(apiRegistry, { io: "output", uri: componentUri }).schemas;
  const entries = Object.keys(outputs)
    .sort()
    .map((id) => {
      const chosen = requestIds.has(id) ? inputs[id] : outputs[id];
      return [id, stripMeta((chosen ?? {}) as JsonObject)];
    });
  return Object.fromEntries(entries);
}

function pathParameters(path: string): JsonObject[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: "path",
    required: true,
    schema: { type: "string", maxLength: 64 },
  }));
}

function queryParameters(route: Route): JsonObject[] {
  if (route.query === undefined) return [];
  const schema = z.toJSONSchema(route.query, { io: "input" }) as JsonObject;
  const properties = (schema.properties ?? {}) as Record<string, JsonObject>;
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: "query",
    required: false,
    schema: property,
  }));
}

function responseBody(response: RouteResponse): JsonObject | undefined {
  if (response.status === 204) return undefined;
  if (response.binary === true) {
    return { "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } } };
  }
  if (response.schema === undefined) return { "application/json": { schema: { type: "object" } } };
  const schema =
    response.list === true
      ? {
          type: "object",
          properties: { value: { type: "array", items: ref(response.schema) }, nextLink: { type: "string" } },
          required: ["value"],
        }
      : ref(response.schema);
  return { "application/json": { schema } };
}

function requestBody(route: Route): JsonObject {
  if (route.binaryBody === true) {
    return {
      requestBody: {
        required: true,
        content: {
          "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } },
        },
      },
    };
  }
  if (route.body === undefined) return {};
  return {
    requestBody: {
      required: route.body !== emptyBodySchema,
      content: { "application/json": { schema: ref(route.body) } },
    },
  };
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ref(errorBodySchema) } },
});

function operation(route: Route): JsonObject {
  const content = responseBody(route.response);
  const responses: JsonObject = {
    [String(route.response.status)]: { description: route.response.description, ...(content ? { content } : {}) },
    "400": errorResponse("The request is invalid (InvalidInput, InvalidJson)."),
    "404": errorResponse("Not found, or in another project."),
    "409": errorResponse("Not allowed now (OperationNotAllowed, OperationInProgress, NoRecoveryPoint, Conflict)."),
  };
  if (route.auth === "operator") {
    responses["401"] = errorResponse("The operator key or token is missing, wrong or expired.");
    responses["403"] = errorResponse(`The caller's role does not allow this (Forbidden); needs ${route.access}.`);
  }
  if (route.auth === "agent")
    responses["401"] = errorResponse("The agent signature is missing, wrong, expired or replayed.");
  const security = { operator: {}, agent: { security: [{ agentSignature: [] }] }, none: { security: [] } }[route.auth];
  return {
    operationId: route.name,
    summary: route.summary,
    ...security,
    parameters: [...pathParameters(route.path), ...queryParameters(route)],
    ...requestBody(route),
    responses,
  };
}

export function buildOpenApiDocument(version = "0.1.0"): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of apiRouteList) {
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method]: operation(route) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Ferry",
      version,
      description: "Serverless server migration and disaster recovery to Azure: operator and agent APIs.",
    },
    servers: [{ url: "/api" }],
    security: [{ operatorKey: [] }],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        operatorKey: {
          type: "http",
          scheme: "bearer",
          description:
            "The bootstrap operator key, a project's operator key (ok_<id>.<secret>), or an Entra ID token in Azure.",
        },
        agentSignature: {
          type: "apiKey",
          in: "header",
          name: "x-ferry-signature",
          description:
            "HMAC-SHA256 with the agent's key over method, path, body SHA-256, " +
            "timestamp and nonce (x-ferry-* headers).",
        },
      },
    },
  };
}
