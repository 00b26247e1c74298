import { createProjectRequest } from "../../shared/api/projects";
import { parseBody } from "../../shared/api/parseBody";
import { routes } from "../../shared/api/routes";
import { createProject, getProject, listProjects } from "../../shared/controlPlane/projects";
import { createRegistrationKey } from "../../shared/controlPlane/registrationKeys";
import { services } from "../../shared/services";
import { readJson } from "./body";
import { idParam, list } from "./params";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

export const postProject: HttpHandler = async (request) =>
  json(201, await createProject(services(), parseBody(createProjectRequest, await readJson(request))));

export const getProjects: HttpHandler = async () => json(200, list(await listProjects(services())));

export const getOneProject: HttpHandler = async (request) =>
  json(200, await getProject(services(), idParam(request, "project")));

export const postRegistrationKey: HttpHandler = async (request) =>
  json(201, await createRegistrationKey(services(), idParam(request, "project")));

register(routes.createProject, postProject);
register(routes.listProjects, getProjects);
register(routes.getProject, getOneProject);
register(routes.createRegistrationKey, postRegistrationKey);
