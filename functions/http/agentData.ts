import type { HttpRequest } from "@azure/functions";
import * as df from "durable-functions";
import { cycleRequest, heartbeatRequest } from "../../shared/api/agentData";
import { parseBody } from "../../shared/api/parseBody";
import { routes } from "../../shared/api/routes";
import { errors } from "../../shared/domain/errors";
import { isDiskId } from "../../shared/domain/ids";
import { completeCycle } from "../../shared/replication/points";
import { finalSyncArrived, finalSyncEvent } from "../../shared/lifecycle/finalSync";
import { heartbeat, ingestBatch } from "../../shared/replication/ingest";
import { services } from "../../shared/services";
import { readSignedJson, readSignedStream, requireOwnMachine } from "./agentRequest";
import { idParam } from "./params";
import { register } from "./register";
import { json, type HttpHandler } from "./respond";

/** A whole number from the path; anything else answers 404 like an unknown route. */
function counterParam(request: HttpRequest, name: string, label = name): number {
  const text = request.params[name] ?? "";
  if (!/^\d{1,15}$/.test(text)) throw errors.notFound(label, text.slice(0, 20));
  return Number(text);
}

function diskParam(request: HttpRequest): string {
  const diskId: unknown = request.params.diskId;
  if (!isDiskId(diskId)) throw errors.notFound("Disk", String(diskId ?? "").slice(0, 64));
  return diskId;
}

export const postHeartbeat: HttpHandler = async (request) => {
  const machineId = idParam(request, "machine");
  const { agent, body } = await readSignedJson(request);
  requireOwnMachine(agent, machineId);
  return json(200, await heartbeat(services(), agent, parseBody(heartbeatRequest, body)));
};

/** A change batch, streamed: acknowledged (200) only once durable. */
export const putBatch: HttpHandler = async (request) => {
  const machineId = idParam(request, "machine");
  const itemId = idParam(request, "item");
  const diskId = diskParam(request);
  const epoch = counterParam(request, "epoch");
  // A bad sequence answers with the target "seq", the name clients already see in errors.
  const sequence = counterParam(request, "sequence", "seq");
  const { agent, signedSha256, body } = await readSignedStream(request);
  requireOwnMachine(agent, machineId);
  return json(200, await ingestBatch(services(), { agent, itemId, diskId, epoch, sequence, signedSha256, body }));
};

/** Ends a cycle; a final cycle also wakes the migration waiting for the source's last changes. */
export const postCycle: HttpHandler = async (request, context) => {
  const machineId = idParam(request, "machine");
  const itemId = idParam(request, "item");
  const { agent, body } = await readSignedJson(request);
  requireOwnMachine(agent, machineId);
  const cycle = parseBody(cycleRequest, body);
  const result = await completeCycle(services(), agent, itemId, cycle);
  const waiting = cycle.final ? await finalSyncArrived(services(), agent.projectId, itemId) : undefined;
  if (waiting) await df.getClient(context).raiseEvent(waiting, finalSyncEvent, result);
  return json(200, result);
};

register(routes.agentHeartbeat, postHeartbeat);
register(routes.agentPutBatch, putBatch);
register(routes.agentCompleteCycle, postCycle, [df.input.durableClient()]);
