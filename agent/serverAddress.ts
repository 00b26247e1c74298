import { serverRoot } from "../client/serverUrl";

/**
 * The API base the agent calls, from the appliance's address as people give it: the host root
 * (`http://host:7071`) or the API base (`http://host:7071/api`), with or without a trailing slash.
 */
export function agentApiBase(address: string): string {
  return `${serverRoot(address)}/api`;
}
