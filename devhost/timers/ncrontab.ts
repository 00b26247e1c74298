/**
 * Six-field NCRONTAB schedules as Azure Functions reads them:
 * `{second} {minute} {hour} {day} {month} {day-of-week}` with `*`, lists, ranges, steps
 * and month/day names. Times are evaluated in UTC.
 */
export interface Schedule {
  expression: string;
  fields: Set<number>[];
  dayIsWildcard: boolean;
  weekdayIsWildcard: boolean;
}

const bounds: [number, number][] = [
  [0, 59],
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];
const names: Record<string, number>[] = [
  {},
  {},
  {},
  {},
  { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
  { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 },
];

function value(text: string, field: number, expression: string): number {
  const named = names[field][text.toLowerCase()];
  const n = named ?? (/^\d+$/.test(text) ? Number(text) : NaN);
  const [lo, hi] = bounds[field];
  const v = field === 5 && n === 7 ? 0 : n;
  if (!Number.isInteger(v) || v < lo || v > hi)
    throw new Error(`Schedule "${expression}": "${text}" is out of range ${lo}-${hi}.`);
  return v;
}

function parseField(text: string, field: number, expression: string): Set<number> {
  const out = new Set<number>();
  const [lo, hi] = bounds[field];
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`Schedule "${expression}": bad step in "${part}".`);
    let from: number;
    let to: number;
    if (range === "*") [from, to] = [lo, hi];
    else if (range.includes("-")) {
      const [a, b] = range.split("-");
      [from, to] = [value(a, field, expression), value(b, field, expression)];
    } else {
      from = value(range, field, expression);
      to = stepText === undefined ? from : hi;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

export function parseSchedule(expression: string): Schedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6)
    throw new Error(`Schedule "${expression}" must have six fields: second minute hour day month day-of-week.`);
  return {
    expression,
    fields: parts.map((p, i) => parseField(p, i, expression)),
    dayIsWildcard: parts[3] === "*",
    weekdayIsWildcard: parts[5] === "*",
  };
}

function dayMatches(s: Schedule, d: Date): boolean {
  const day = s.fields[3].has(d.getUTCDate());
  const weekday = s.fields[5].has(d.getUTCDay());
  if (s.dayIsWildcard || s.weekdayIsWildcard) return day && weekday;
  return day || weekday;
}

/** The first occurrence strictly after `after`. */
export function nextOccurrence(s: Schedule, after: Date): Date {
  const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const limit = after.getTime() + 5 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!s.fields[4].has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0);
    } else if (!dayMatches(s, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0);
    } else if (!s.fields[2].has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0);
    } else if (!s.fields[1].has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0);
    } else if (!s.fields[0].has(t.getUTCSeconds())) {
      t.setUTCSeconds(t.getUTCSeconds() + 1);
    } else return t;
  }
  throw new Error(`Schedule "${s.expression}" has no occurrence within five years.`);
}
