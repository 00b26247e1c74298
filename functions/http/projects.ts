import { app } from "@azure/functions";
import { createProjectRequest } from "../../shared/api/projects";
import { parseBody } from "../../shared/api/parseBody";
import { createProject, getProject, listProjects } from "../../shared/controlPlane/projects";
import { createRegistrationKey } from "../../shared/controlPlane/registrationKeys";
import { services } from "../../shared/services";
import { readJson } from "./body";
import { operator } from "./operatorAuth";
import { idParam, list } from "./params";
import { json, withErrors, type HttpHandler } from "./respond";

export const postProject: HttpHandler = async (request) =>
  json(201, await createProject(services(), parseBody(createProjectRequest, await readJson(request))));

export const getProjects: HttpHandler = async () => json(200, list(await listProjects(services())));

export const getOneProject: HttpHandler = async (request) =>
  json(200, await getProject(services(), idParam(request, "p", "project")));

export const postRegistrationKey: HttpHandler = async (request) =>
  json(201, await createRegistrationKey(services(), idParam(request, "p", "project")));

app.http("createProject", {
  methods: ["POST"],
  route: "projects",
  authLevel: "anonymous",
  handler: withErrors(operator(postProject)),
});
app.http("listProjects", {
  methods: ["GET"],
  route: "projects",
  authLevel: "anonymous",
  handler: withErrors(operator(getProjects)),
});
app.http("getProject", {
  methods: ["GET"],
  route: "projects/{p}",
  authLevel: "anonymous",
  handler: withErrors(operator(getOneProject)),
});
app.http("createRegistrationKey", {
  methods: ["POST"],
  route: "projects/{p}/registration-keys",
  authLevel: "anonymous",
  handler: withErrors(operator(postRegistrationKey)),
});
