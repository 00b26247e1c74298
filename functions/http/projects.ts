import { createProjectRequest } from "../../shared/api/projects";
import { parseBody } from "../../shared/api/parseBody";
import { routes } from "../../shared/api/routes";
import { createProject, getProject, listProjects } from "../../shared/controlPlane/projects";
import { createRegistrationKey } from "../../shared/controlPlane/registrationKeys";
import { services } from "../../shared/services";
import { readJson } from "./body";
import { callerOf } from "./operatorAuth";
import { idParam, list } from "./params";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

export const postProject: HttpHandler = async (request) =>
  json(201, await createProject(services(), parseBody(createProjectRequest, await readJson(request))));

/** A project's key sees its own project only; the administrator and Entra ID roles see every one. */
export const getProjects: HttpHandler = async (request) => {
  const caller = callerOf(request);
  const scope = caller.kind === "role" ? caller.projectId : undefined;
  const projects = scope === undefined ? await listProjects(services()) : [await getProject(services(), scope)];
  return json(200, list(projects));
};

export const getOneProject: HttpHandler = async (request) =>
  json(200, await getProject(services(), idParam(request, "project")));

export const postRegistrationKey: HttpHandler = async (request) =>
  json(201, await createRegistrationKey(services(), idParam(request, "project")));

register(routes.createProject, postProject);
register(routes.listProjects, getProjects);
register(routes.getProject, getOneProject);
register(routes.createRegistrationKey, postRegistrationKey);
