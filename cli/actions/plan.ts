import { readFile } from "node:fs/promises";
import type { Job } from "../../client/jobWait";
import type { ProjectClient } from "../../client/projectClient";
import { routes } from "../../shared/api/routes";
import type { CreateRecoveryPlanRequest } from "../../shared/api/recoveryPlans";
import { UsageError } from "../cliErrors";
import type { Invocation } from "../commandKit";
import { followJob } from "../jobFollow";
import { resolvePlan, resolveServer } from "../lookups";
import { note, printJson, printList, printObject } from "../output";
import { Session } from "../session";
import { planColumns, planFields, planSections } from "../views/planViews";

type Group = CreateRecoveryPlanRequest["groups"][number];
type Action = NonNullable<Group["postActions"]>[number];

interface CreateOptions {
  name?: string;
  description?: string;
  group: string[];
  manualAfter: string[];
  webhookAfter: string[];
  file?: string;
}

/** "db:server1,server2" → a group of those servers (names or ids). */
function parseGroup(text: string): { name: string; servers: string[] } {
  const at = text.indexOf(":");
  const servers = (at < 0 ? "" : text.slice(at + 1))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (at <= 0 || servers.length === 0) throw new UsageError(`--group "${text}": write it as NAME:SERVER[,SERVER...]`);
  return { name: text.slice(0, at), servers };
}

/** "GROUP=value" of --manual-after and --webhook-after. */
function split(flag: string, text: string): [string, string] {
  const at = text.indexOf("=");
  if (at <= 0) throw new UsageError(`${flag} "${text}": write it as GROUP=VALUE`);
  return [text.slice(0, at), text.slice(at + 1)];
}

function groupsFromFlags(options: CreateOptions): Group[] {
  if (options.group.length === 0) throw new UsageError("name the plan's groups with --group, or give --file");
  const groups = options.group.map(parseGroup).map((g): Group => ({ name: g.name, items: g.servers, postActions: [] }));
  const after = (flag: string, entries: string[], make: (value: string, n: number) => Action) =>
    entries.forEach((entry, n) => {
      const [name, value] = split(flag, entry);
      const group = groups.find((g) => g.name === name);
      if (!group) throw new UsageError(`${flag}: no group is named '${name}'`);
      group.postActions = [...(group.postActions ?? []), make(value, n + 1)];
    });
  after("--manual-after", options.manualAfter, (instructions, n) => ({
    name: `manual-${n}`,
    kind: "Manual",
    instructions,
  }));
  after("--webhook-after", options.webhookAfter, (url, n) => ({ name: `webhook-${n}`, kind: "Webhook", url }));
  return groups;
}

/** Servers named in a plan become their item ids, resolved as every command resolves them. */
async function resolveItems(project: ProjectClient, groups: Group[]): Promise<Group[]> {
  const out: Group[] = [];
  for (const group of groups) {
    const items: string[] = [];
    for (const server of group.items) items.push((await resolveServer(project, server)).id);
    out.push({ ...group, items });
  }
  return out;
}

async function planBody(options: CreateOptions): Promise<CreateRecoveryPlanRequest> {
  if (options.file) return JSON.parse(await readFile(options.file, "utf8")) as CreateRecoveryPlanRequest;
  if (!options.name) throw new UsageError("name the plan with --name, or give --file");
  return {
    name: options.name,
    ...(options.description ? { description: options.description } : {}),
    groups: groupsFromFlags(options),
  };
}

export async function create({ options }: Invocation<CreateOptions>): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const body = await planBody(options);
  const created = await project.call(routes.createRecoveryPlan, {
    body: { ...body, groups: await resolveItems(project, body.groups) },
  });
  if (session.json) return printJson(created);
  await printObject(session, created.plan, planFields, planSections);
  note("The plan's webhook signing secret (shown this once; webhooks carry x-ferry-signature made with it):");
  process.stdout.write(`${created.webhookSecret}\n`);
}

export async function list({ options }: Invocation): Promise<void> {
  const session = new Session(options);
  const plans = await (await session.project()).listAll(routes.listRecoveryPlans);
  await printList(session, plans, planColumns, "No recovery plans.");
}

export async function show({ args, options }: Invocation): Promise<void> {
  const session = new Session(options);
  await printObject(session, await resolvePlan(await session.project(), args[0]), planFields, planSections);
}

type Start = (project: ProjectClient, planId: string) => Promise<{ job: Job }>;

async function operate(invocation: Invocation<{ wait: boolean }>, start: Start): Promise<void> {
  const session = new Session(invocation.options);
  const project = await session.project();
  const plan = await resolvePlan(project, invocation.args[0]);
  const { job } = await start(project, plan.id);
  await followJob(session, project, job, { wait: invocation.options.wait });
}

export function testMigrate(invocation: Invocation<{ wait: boolean; network: string; subnet?: string }>) {
  const { network, subnet } = invocation.options;
  const body = { network, ...(subnet ? { subnet } : {}) };
  return operate(invocation, (p, planId) => p.call(routes.testMigratePlan, { params: { planId }, body }));
}

export function testMigrateCleanup(invocation: Invocation<{ wait: boolean }>) {
  return operate(invocation, (p, planId) => p.call(routes.testMigrateCleanupPlan, { params: { planId } }));
}

interface MigrateOptions {
  wait: boolean;
  shutdown: boolean;
  startAt?: string;
  maxDowntime?: string;
}

export function migrate(invocation: Invocation<MigrateOptions>) {
  const { shutdown, startAt, maxDowntime } = invocation.options;
  const body = {
    shutdownSource: shutdown,
    ...(startAt ? { startAt: new Date(startAt).toISOString() } : {}),
    ...(maxDowntime ? { maxDowntimeSeconds: Number(maxDowntime) } : {}),
  };
  return operate(invocation, (p, planId) => p.call(routes.migratePlan, { params: { planId }, body }));
}

export function complete(invocation: Invocation<{ wait: boolean }>) {
  return operate(invocation, (p, planId) => p.call(routes.completePlan, { params: { planId } }));
}

export async function remove({ args, options }: Invocation): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  const plan = await resolvePlan(project, args[0]);
  await project.call(routes.deleteRecoveryPlan, { params: { planId: plan.id } });
  note(`Deleted recovery plan ${plan.name} (${plan.id}).`);
}
