import { app } from "@azure/functions";
import { getMachine, listMachines } from "../../shared/controlPlane/machines";
import { services } from "../../shared/services";
import { operator } from "./operatorAuth";
import { idParam, list } from "./params";
import { json, withErrors, type HttpHandler } from "./respond";

export const getMachines: HttpHandler = async (request) =>
  json(200, list(await listMachines(services(), idParam(request, "p", "project"))));

export const getOneMachine: HttpHandler = async (request) =>
  json(200, await getMachine(services(), idParam(request, "p", "project"), idParam(request, "m", "machine")));

app.http("listMachines", {
  methods: ["GET"],
  route: "projects/{p}/machines",
  authLevel: "anonymous",
  handler: withErrors(operator(getMachines)),
});
app.http("getMachine", {
  methods: ["GET"],
  route: "projects/{p}/machines/{m}",
  authLevel: "anonymous",
  handler: withErrors(operator(getOneMachine)),
});
