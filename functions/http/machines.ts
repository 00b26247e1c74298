import { routes } from "../../shared/api/routes";
import { getMachine, listMachines } from "../../shared/controlPlane/machines";
import { services } from "../../shared/services";
import { idParam, list } from "./params";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

export const getMachines: HttpHandler = async (request) =>
  json(200, list(await listMachines(services(), idParam(request, "project"))));

export const getOneMachine: HttpHandler = async (request) =>
  json(200, await getMachine(services(), idParam(request, "project"), idParam(request, "machine")));

register(routes.listMachines, getMachines);
register(routes.getMachine, getOneMachine);
