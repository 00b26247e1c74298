import type { RecoveryPlan } from "../../client/resources";
import { renderTable, type Column, type Field } from "../output";
import { time } from "./format";

const itemCount = (plan: RecoveryPlan) => plan.groups.reduce((sum, group) => sum + group.items.length, 0);

export const planColumns: Column<RecoveryPlan>[] = [
  { header: "Name", cell: (p) => p.name },
  { header: "Groups", cell: (p) => String(p.groups.length) },
  { header: "Servers", cell: (p) => String(itemCount(p)) },
  { header: "Running job", cell: (p) => p.currentJobId ?? "" },
  { header: "Id", cell: (p) => p.id },
];

export const planFields: Field<RecoveryPlan>[] = [
  ["Name", (p) => p.name],
  ["Id", (p) => p.id],
  ["Description", (p) => p.description],
  ["Running job", (p) => p.currentJobId],
  ["Created", (p) => time(p.createTime)],
  ["Changed", (p) => time(p.updateTime)],
];

type Row = { group: string; server: string; state: string; estimate: string };

/** One row per server, in group order, then each group's actions. */
export async function planSections(plan: RecoveryPlan): Promise<string[]> {
  const rows: Row[] = plan.groups.flatMap((group, index) =>
    group.items.map((item) => ({
      group: `${index + 1}. ${group.name}`,
      server: item.name,
      state: [item.migrationState, item.testMigrateState === "None" ? undefined : item.testMigrateState]
        .filter(Boolean)
        .join(", "),
      estimate: item.estimatedFinalSyncSeconds === undefined ? "" : `${item.estimatedFinalSyncSeconds} s`,
    })),
  );
  const actions = plan.groups.flatMap((group) =>
    [
      ...group.preActions.map((a) => ["before", a] as const),
      ...group.postActions.map((a) => ["after", a] as const),
    ].map(
      ([when, action]) =>
        `${when} ${group.name}: ${action.name} (${action.kind}) ${
          action.kind === "Manual" ? action.instructions : action.url
        }`,
    ),
  );
  const table = await renderTable(rows, [
    { header: "Group", cell: (r) => r.group },
    { header: "Server", cell: (r) => r.server },
    { header: "State", cell: (r) => r.state },
    { header: "Final sync estimate", cell: (r) => r.estimate },
  ]);
  return [table, ...actions];
}
