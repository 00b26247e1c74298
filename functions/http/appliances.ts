import { app } from "@azure/functions";
import { registerApplianceRequest } from "../../shared/api/appliances";
import { parseBody } from "../../shared/api/parseBody";
import {
  finalizeAppliance,
  listAppliances,
  registerAppliance,
  rotatePassphrase,
} from "../../shared/controlPlane/appliances";
import { services } from "../../shared/services";
import { readJson } from "./body";
import { operator } from "./operatorAuth";
import { idParam, list } from "./params";
import { json, withErrors, type HttpHandler } from "./respond";

/** No operator key: the single-use registration key is the credential. */
export const postAppliance: HttpHandler = async (request) =>
  json(201, await registerAppliance(services(), parseBody(registerApplianceRequest, await readJson(request))));

export const postFinalize: HttpHandler = async (request) =>
  json(200, await finalizeAppliance(services(), idParam(request, "p", "project"), idParam(request, "a", "appliance")));

export const postPassphrase: HttpHandler = async (request) =>
  json(200, await rotatePassphrase(services(), idParam(request, "p", "project"), idParam(request, "a", "appliance")));

export const getAppliances: HttpHandler = async (request) =>
  json(200, list(await listAppliances(services(), idParam(request, "p", "project"))));

app.http("registerAppliance", {
  methods: ["POST"],
  route: "appliances",
  authLevel: "anonymous",
  handler: withErrors(postAppliance),
});
app.http("finalizeAppliance", {
  methods: ["POST"],
  route: "projects/{p}/appliances/{a}/finalize",
  authLevel: "anonymous",
  handler: withErrors(operator(postFinalize)),
});
app.http("rotatePassphrase", {
  methods: ["POST"],
  route: "projects/{p}/appliances/{a}/passphrase",
  authLevel: "anonymous",
  handler: withErrors(operator(postPassphrase)),
});
app.http("listAppliances", {
  methods: ["GET"],
  route: "projects/{p}/appliances",
  authLevel: "anonymous",
  handler: withErrors(operator(getAppliances)),
});
