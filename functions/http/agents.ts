import { agentRegisterRequest } from "../../shared/api/agent";
import { parseBody } from "../../shared/api/parseBody";
import { routes } from "../../shared/api/routes";
import { registerAgent } from "../../shared/controlPlane/agents";
import { services } from "../../shared/services";
import { readOptionallySignedJson } from "./agentRequest";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

/** Enrollment with the appliance passphrase (201); a signed request from a registered agent re-registers it (200). */
export const postAgentRegister: HttpHandler = async (request) => {
  const { agent, body } = await readOptionallySignedJson(request);
  return json(agent ? 200 : 201, await registerAgent(services(), parseBody(agentRegisterRequest, body), agent));
};

register(routes.registerAgent, postAgentRegister);
