import { parseBody } from "../../shared/api/parseBody";
import { createRecoveryPlanRequest, updateRecoveryPlanRequest } from "../../shared/api/recoveryPlans";
import { routes } from "../../shared/api/routes";
import { createPlan, deletePlan, getPlan, listPlans, planView, updatePlan } from "../../shared/plans";
import { services } from "../../shared/services";
import { readJson } from "./body";
import { idParam, list } from "./params";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

const planIdOf = (request: Parameters<HttpHandler>[0]) => idParam(request, "recoveryPlan", "planId");

export const postRecoveryPlan: HttpHandler = async (request) => {
  const projectId = idParam(request, "project");
  const body = parseBody(createRecoveryPlanRequest, await readJson(request));
  const { plan, webhookSecret } = await createPlan(services(), projectId, body);
  return json(201, { plan: await planView(services(), plan), webhookSecret });
};

export const getRecoveryPlans: HttpHandler = async (request) => {
  const plans = await listPlans(services(), idParam(request, "project"));
  return json(200, list(await Promise.all(plans.map((plan) => planView(services(), plan)))));
};

export const getRecoveryPlan: HttpHandler = async (request) =>
  json(200, await planView(services(), await getPlan(services(), idParam(request, "project"), planIdOf(request))));

export const patchRecoveryPlan: HttpHandler = async (request) => {
  const body = parseBody(updateRecoveryPlanRequest, await readJson(request));
  const plan = await updatePlan(services(), idParam(request, "project"), planIdOf(request), body);
  return json(200, await planView(services(), plan));
};

export const removeRecoveryPlan: HttpHandler = async (request) => {
  await deletePlan(services(), idParam(request, "project"), planIdOf(request));
  return { status: 204, headers: { "cache-control": "no-store" } };
};

register(routes.createRecoveryPlan, postRecoveryPlan);
register(routes.listRecoveryPlans, getRecoveryPlans);
register(routes.getRecoveryPlan, getRecoveryPlan);
register(routes.updateRecoveryPlan, patchRecoveryPlan);
register(routes.deleteRecoveryPlan, removeRecoveryPlan);
