import type { ContainerClient } from "@azure/storage-blob";
import type { InstanceMeta, RuntimeStatus } from "../runtime/instanceMeta";
import { blobPrefix, instanceRowKey, partitionKeyOf } from "./layout";
import { packText, unpackText, type TextProperties } from "./largeText";

export type Entity = Record<string, unknown> & { partitionKey: string; rowKey: string };

// Three texts share one entity, so each stays well under a third of 1 MiB.
const instanceChunks = 4;

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function isoOf(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value ?? "");
}

/** The changing columns of an instance row; `withInput` adds the input (on create and continue-as-new). */
export async function instanceEntity(
  container: ContainerClient,
  meta: InstanceMeta,
  withInput: boolean,
): Promise<Entity> {
  const prefix = blobPrefix(meta.instanceId);
  const texts: TextProperties = {
    ...(withInput ? await packText(container, prefix, "Input", meta.input, instanceChunks) : {}),
    ...(await packText(container, prefix, "Output", meta.output, instanceChunks)),
    ...(await packText(container, prefix, "CustomStatus", meta.customStatus, instanceChunks)),
  };
  return {
    partitionKey: partitionKeyOf(meta.instanceId),
    rowKey: instanceRowKey,
    InstanceId: meta.instanceId,
    Name: meta.name,
    ExecutionId: meta.executionId,
    RuntimeStatus: meta.status,
    CreatedTime: new Date(meta.createdTime),
    LastUpdatedTime: new Date(meta.lastUpdatedTime),
    Episodes: meta.episodes,
    ParentInstanceId: meta.parent?.instanceId ?? "",
    ParentExecutionId: meta.parent?.executionId ?? "",
    ParentTaskId: meta.parent?.taskId ?? -1,
    ...texts,
  };
}

export async function metaOf(
  container: ContainerClient,
  entity: Record<string, unknown>,
  withTexts = true,
): Promise<InstanceMeta> {
  const parentId = str(entity.ParentInstanceId);
  return {
    instanceId: String(entity.InstanceId),
    name: String(entity.Name),
    executionId: String(entity.ExecutionId),
    status: String(entity.RuntimeStatus) as RuntimeStatus,
    input: withTexts ? await unpackText(container, entity, "Input") : null,
    output: withTexts ? await unpackText(container, entity, "Output") : null,
    customStatus: withTexts ? await unpackText(container, entity, "CustomStatus") : null,
    createdTime: isoOf(entity.CreatedTime),
    lastUpdatedTime: isoOf(entity.LastUpdatedTime),
    episodes: Number(entity.Episodes ?? 0),
    parent: parentId
      ? { instanceId: parentId, executionId: String(entity.ParentExecutionId), taskId: Number(entity.ParentTaskId) }
      : undefined,
  };
}
