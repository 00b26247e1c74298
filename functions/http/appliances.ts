import { registerApplianceRequest } from "../../shared/api/appliances";
import { parseBody } from "../../shared/api/parseBody";
import { routes } from "../../shared/api/routes";
import {
  finalizeAppliance,
  listAppliances,
  registerAppliance,
  rotatePassphrase,
} from "../../shared/controlPlane/appliances";
import { services } from "../../shared/services";
import { readJson } from "./body";
import { idParam, list } from "./params";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

/** No operator key: the single-use registration key is the credential. */
export const postAppliance: HttpHandler = async (request) =>
  json(201, await registerAppliance(services(), parseBody(registerApplianceRequest, await readJson(request))));

export const postFinalize: HttpHandler = async (request) =>
  json(200, await finalizeAppliance(services(), idParam(request, "project"), idParam(request, "appliance")));

export const postPassphrase: HttpHandler = async (request) =>
  json(200, await rotatePassphrase(services(), idParam(request, "project"), idParam(request, "appliance")));

export const getAppliances: HttpHandler = async (request) =>
  json(200, list(await listAppliances(services(), idParam(request, "project"))));

register(routes.registerAppliance, postAppliance);
register(routes.finalizeAppliance, postFinalize);
register(routes.rotatePassphrase, postPassphrase);
register(routes.listAppliances, getAppliances);
