import { createPipelineRequest, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import type { ArmPermission } from "../domain/armActions";
import { errors } from "../domain/errors";

/** Any Resource Manager SDK client: its pipeline brings the token, retries and Retry-After. */
export interface ArmPipeline {
  sendRequest(request: PipelineRequest): Promise<PipelineResponse>;
}

export const permissionsApiVersion = "2022-04-01";

interface PermissionsPage {
  value?: ArmPermission[];
  nextLink?: string;
}

/**
 * What the caller may do in a resource group (Permissions - List For Resource Group), page by
 * page. A caller with no access there at all is answered 403: that holds nothing.
 */
export async function listGroupPermissions(
  pipeline: ArmPipeline,
  endpoint: string,
  subscriptionId: string,
  resourceGroup: string,
  abortSignal?: AbortSignal,
): Promise<ArmPermission[]> {
  const group = `/subscriptions/${subscriptionId}/resourceGroups/${encodeURIComponent(resourceGroup)}`;
  let url: string | undefined =
    `${endpoint}${group}/providers/Microsoft.Authorization/permissions?api-version=${permissionsApiVersion}`;
  const held: ArmPermission[] = [];
  while (url !== undefined) {
    const response = await pipeline.sendRequest(createPipelineRequest({ url, method: "GET", abortSignal }));
    if (response.status === 403) return [];
    if (response.status === 404)
      throw errors.targetResourceNotFound("ResourceGroup", resourceGroup, "target.resourceGroup");
    if (response.status !== 200)
      throw new Error(`Resource Manager answered ${response.status} to the permissions call: ${response.bodyAsText}`);
    const page = JSON.parse(response.bodyAsText ?? "{}") as PermissionsPage;
    held.push(...(page.value ?? []));
    url = page.nextLink || undefined;
  }
  return held;
}
