import type { Session } from "./session";

/** One column of a list table. */
export interface Column<T> {
  header: string;
  cell: (row: T) => string;
}

/** One line of a details table; an empty value is left out. */
export type Field<T> = [label: string, value: (row: T) => string | undefined];

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Progress, hints and notes go to stderr, so stdout stays the answer alone. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

async function newTable(head?: string[]) {
  const { default: Table } = await import("cli-table3");
  // No rule between rows: a list reads as one block, as gh and az print theirs.
  const chars = { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" };
  return new Table({ ...(head ? { head } : {}), chars, style: { head: [], border: [] } });
}

export async function renderTable<T>(items: readonly T[], columns: readonly Column<T>[]): Promise<string> {
  const table = await newTable(columns.map((c) => c.header));
  for (const item of items) table.push(columns.map((c) => c.cell(item)));
  return table.toString();
}

/** A list: a JSON array of every item, or a table with one row each. */
export async function printList<T>(
  session: Session,
  items: readonly T[],
  columns: readonly Column<T>[],
  empty = "(none)",
): Promise<void> {
  if (session.json) return printJson(items);
  process.stdout.write(`${items.length === 0 ? empty : await renderTable(items, columns)}\n`);
}

export async function renderDetails<T>(value: T, fields: readonly Field<T>[]): Promise<string> {
  const table = await newTable();
  for (const [label, read] of fields) {
    const text = read(value);
    if (text !== undefined && text !== "") table.push({ [label]: text });
  }
  return table.toString();
}

/** One object: the API's JSON unchanged, or a table of its fields (and any sections after it). */
export async function printObject<T>(
  session: Session,
  value: T,
  fields: readonly Field<T>[],
  sections: (value: T) => Promise<string[]> = async () => [],
): Promise<void> {
  if (session.json) return printJson(value);
  const parts = [await renderDetails(value, fields), ...(await sections(value))];
  process.stdout.write(`${parts.join("\n")}\n`);
}
