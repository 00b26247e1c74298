import { routes } from "../../shared/api/routes";
import type { Invocation } from "../commandKit";
import { resolveMachine } from "../lookups";
import { printList, printObject } from "../output";
import { Session } from "../session";
import { machineColumns, machineFields } from "../views/setupViews";

export async function list({ options }: Invocation): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const machines = await project.listAll(routes.listMachines);
  await printList(
    session,
    machines,
    machineColumns,
    "No discovered servers yet: register an agent on a source machine.",
  );
}

export async function show({ args, options }: Invocation): Promise<void> {
  const session = new Session(options);
  await printObject(session, await resolveMachine(await session.project(), args[0]), machineFields);
}
