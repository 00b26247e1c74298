import { app } from "@azure/functions";
import { agentRegisterRequest } from "../../shared/api/agent";
import { parseBody } from "../../shared/api/parseBody";
import { registerAgent } from "../../shared/controlPlane/agents";
import { services } from "../../shared/services";
import { readOptionallySignedJson } from "./agentRequest";
import { json, withErrors, type HttpHandler } from "./respond";

/** Enrollment with the appliance passphrase (201); a signed request from a registered agent re-registers it (200). */
export const postAgentRegister: HttpHandler = async (request) => {
  const { agent, body } = await readOptionallySignedJson(request);
  return json(agent ? 200 : 201, await registerAgent(services(), parseBody(agentRegisterRequest, body), agent));
};

app.http("registerAgent", {
  methods: ["POST"],
  route: "agent/register",
  authLevel: "anonymous",
  handler: withErrors(postAgentRegister),
});
