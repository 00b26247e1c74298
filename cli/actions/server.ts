import { routes } from "../../shared/api/routes";
import { UsageError } from "../cliErrors";
import type { Invocation } from "../commandKit";
import { resolveServer } from "../lookups";
import { printList, printObject } from "../output";
import { Session } from "../session";
import { serverColumns, serverFields, serverSections } from "../views/serverViews";

export { watch } from "./serverWatch";

export async function list({ options }: Invocation): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const servers = await project.listAll(routes.listReplicatingServers);
  await printList(session, servers, serverColumns, "No replicating servers yet: ferry replicate MACHINE ...");
}

export async function show({ args, options }: Invocation): Promise<void> {
  const session = new Session(options);
  const server = await resolveServer(await session.project(), args[0]);
  await printObject(session, server, serverFields, serverSections);
}

interface UpdateOptions {
  vmSize?: string;
  network?: string;
  subnet?: string;
  resourceGroup?: string;
}

/** PATCH of the target settings named; the API refuses once replication has started. */
export async function update({ args, options }: Invocation<UpdateOptions>): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const server = await resolveServer(project, args[0]);
  const target = Object.fromEntries(
    (["vmSize", "network", "subnet", "resourceGroup"] as const).flatMap((k) => (options[k] ? [[k, options[k]]] : [])),
  );
  if (Object.keys(target).length === 0) {
    throw new UsageError("Name at least one setting to change: --vm-size, --network, --subnet or --resource-group.");
  }
  const updated = await project.call(routes.updateReplicatingServer, {
    params: { itemId: server.id },
    body: { target },
  });
  await printObject(session, updated, serverFields, serverSections);
}
