import { routes } from "../../shared/api/routes";
import { UsageError } from "../cliErrors";
import type { Invocation } from "../commandKit";
import { pickOne } from "../nameMatch";
import { note, printList, printObject } from "../output";
import { Session } from "../session";
import { time } from "../views/format";
import { operatorKeyColumns } from "../views/setupViews";

const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO time, or a duration from now such as 90d, 12h or 30m. */
export function expiryTime(text: string, now = Date.now()): string {
  const relative = /^(\d+)([mhd])$/.exec(text);
  if (relative) return new Date(now + Number(relative[1]) * units[relative[2]]).toISOString();
  const absolute = Date.parse(text);
  if (Number.isNaN(absolute))
    throw new UsageError(`--expires wants an ISO 8601 time or a duration like 90d; got "${text}".`);
  return new Date(absolute).toISOString();
}

interface CreateOptions {
  name: string;
  role: "Reader" | "Contributor" | "Owner";
  expires?: string;
}

export async function create({ options }: Invocation<CreateOptions>): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const body = {
    name: options.name,
    role: options.role,
    ...(options.expires ? { expiresAt: expiryTime(options.expires) } : {}),
  };
  const created = await project.call(routes.createOperatorKey, { body });
  await printObject(session, created, [
    ["Name", (k) => k.name],
    ["Id", (k) => k.id],
    ["Role", (k) => k.role],
    ["Expires", (k) => time(k.expiresAt) || "never"],
    ["Key", (k) => k.key],
  ]);
  note("The key is shown once: keep it now.");
}

export async function list({ options }: Invocation): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  await printList(session, await project.listAll(routes.listOperatorKeys), operatorKeyColumns, "No keys.");
}

export async function remove({ args, options }: Invocation): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const keys = await project.listAll(routes.listOperatorKeys);
  const key = pickOne(
    "operator key",
    args[0],
    keys.map((k) => ({ item: k, id: k.id, names: [k.name] })),
  );
  await project.call(routes.deleteOperatorKey, { params: { operatorKeyId: key.id } });
  note(`Deleted operator key ${key.name} (${key.id}).`);
}
