/** The URLs `durable-functions` builds its client from (OrchestrationClientInputData). */
export interface ClientUrls {
  publicOrigin: string;
  rpcBaseUrl: string;
  hubName: string;
  /** The system key the webhooks require; it appears in these URLs and nowhere else. */
  systemKey: string;
}

export const webhookPath = "/runtime/webhooks/durabletask";
const idPlaceholder = "INSTANCEID";

function managementUrls(urls: ClientUrls): Record<string, string> {
  const base = `${urls.publicOrigin}${webhookPath}/instances/${idPlaceholder}`;
  const hub = encodeURIComponent(urls.hubName);
  const key = encodeURIComponent(urls.systemKey);
  const common = `taskHub=${hub}&connection=Storage&code=${key}`;
  return {
    id: idPlaceholder,
    statusQueryGetUri: `${base}?${common}`,
    sendEventPostUri: `${base}/raiseEvent/{eventName}?${common}`,
    terminatePostUri: `${base}/terminate?reason={text}&${common}`,
    rewindPostUri: `${base}/rewind?reason={text}&${common}`,
    purgeHistoryDeleteUri: `${base}?${common}`,
    restartPostUri: `${base}/restart?${common}`,
    suspendPostUri: `${base}/suspend?reason={text}&${common}`,
    resumePostUri: `${base}/resume?reason={text}&${common}`,
  };
}

export function clientBindingData(urls: ClientUrls): Record<string, unknown> {
  const base = `${urls.publicOrigin}${webhookPath}`;
  const code = `code=${encodeURIComponent(urls.systemKey)}`;
  return {
    taskHubName: urls.hubName,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${code}`,
      createAndWaitOnNewInstancePostUri:
        `${base}/orchestrators/{functionName}[/{instanceId}]` +
        `?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${code}`,
    },
    managementUrls: managementUrls(urls),
    baseUrl: base,
    requiredQueryStringParameters: code,
    rpcBaseUrl: urls.rpcBaseUrl,
  };
}

/** The management payload for one instance, as a start request answers it. */
export function managementPayload(urls: ClientUrls, instanceId: string): Record<string, string> {
  const payload: Record<string, string> = {};
  for (const [key, value] of Object.entries(managementUrls(urls)))
    payload[key] = value.replace(idPlaceholder, encodeURIComponent(instanceId));
  payload.id = instanceId;
  return payload;
}
