import { routes } from "../../shared/api/routes";
import type { Invocation } from "../commandKit";
import { followJob } from "../jobFollow";
import { resolvePoint, resolveServer } from "../lookups";
import { printList } from "../output";
import { Session } from "../session";
import { pointColumns } from "../views/serverViews";

export async function list({ args, options }: Invocation): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const server = await resolveServer(project, args[0]);
  const points = await project.listAll(routes.listRecoveryPoints, { params: { itemId: server.id } });
  await printList(session, points, pointColumns, "No recovery points yet.");
}

/** Verifies a point (the newest by default): the job's result holds each disk's SHA-256. */
export async function verify({ args, options }: Invocation<{ wait: boolean }>): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const server = await resolveServer(project, args[0]);
  const point = await resolvePoint(project, server, args[1]);
  const { job } = await project.call(routes.verifyRecoveryPoint, {
    params: { itemId: server.id, recoveryPointId: point.id },
  });
  await followJob(session, project, job, { wait: options.wait });
}
