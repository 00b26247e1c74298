/**
 * What every fault scenario ends with: each recovery point of the item, verified by the service
 * (its verify job's per-disk SHA-256), equals a state the source was in — the points in order,
 * the newest one every write the source made. Anything acknowledged and then lost would show as
 * a point no source state matches, or a newest point short of the last writes.
 */
import { expect } from "vitest";
import { verifyPoint } from "./dataPathSetup";
import type { FerryApi } from "./ferryApi";
import type { Digests, FrozenState } from "./frozenSource";
import type { DiskDigests, SourceMachine } from "./lifecycleKit";

export interface CheckedPoint {
  id: string;
  time: string;
  type: string;
  digests: Digests;
}

interface ListedPoint {
  id: string;
  time: string;
  type: string;
}

/** The item's points, oldest first, as the operator lists them. */
export async function listPoints(api: FerryApi, itemPath: string): Promise<ListedPoint[]> {
  const list = await api.expect<{ value: ListedPoint[] }>(api.get(`${itemPath}/recovery-points`), 200);
  return [...list.value].reverse();
}

/** Verifies every point of the item (two verify jobs at a time); oldest first. */
export async function verifyEveryPoint(api: FerryApi, projectId: string, itemId: string): Promise<CheckedPoint[]> {
  const points = await listPoints(api, `/projects/${projectId}/replicating-servers/${itemId}`);
  const checked: CheckedPoint[] = new Array(points.length);
  let next = 0;
  const worker = async () => {
    for (let at = next++; at < points.length; at = next++) {
      const point = points[at]!;
      const result = await verifyPoint(api, projectId, itemId, point.id);
      checked[at] = { ...point, digests: Object.fromEntries(result.disks.map((d) => [d.diskId, d.sha256])) };
    }
  };
  await Promise.all([worker(), worker()]);
  return checked;
}

const sameDigests = (a: Digests, b: Digests) =>
  Object.keys(b).length === Object.keys(a).length && Object.entries(b).every(([disk, sha]) => a[disk] === sha);

export interface SourceCheck {
  /**
   * The list's order is the source's (a later point never holds an earlier state) and the newest
   * point holds every write (default). False: some point holds every write, in whatever order
   * the list shows them.
   */
  ordered?: boolean;
}

/** Every point equals a recorded source state, and every write is in a point. Returns the state each point matched. */
export function expectPointsFromSource(
  points: CheckedPoint[],
  states: FrozenState[],
  { ordered = true }: SourceCheck = {},
): number[] {
  expect(points.length, "the item has recovery points").toBeGreaterThan(0);
  const matched: number[] = [];
  for (const point of points) {
    const found = states.findLastIndex((state) => sameDigests(state.digests, point.digests));
    expect(found, `point ${point.id} (${point.type}, ${point.time}) equals no state the source was in`).not.toBe(-1);
    matched.push(found);
  }
  if (!ordered) {
    expect(matched, "a point holds every write").toContain(states.length - 1);
    return matched;
  }
  expect(
    [...matched].sort((a, b) => a - b),
    "points hold the source's states in order",
  ).toEqual(matched);
  expect(matched.at(-1), "the newest point holds every write").toBe(states.length - 1);
  return matched;
}

/** Verifies every point and checks it against the source's states; the number of points checked. */
export async function expectEveryPointFromSource(
  api: FerryApi,
  projectId: string,
  itemId: string,
  states: FrozenState[],
  check: SourceCheck = {},
): Promise<number> {
  const points = await verifyEveryPoint(api, projectId, itemId);
  expectPointsFromSource(points, states, check);
  return points.length;
}

/**
 * For a source the test drives as its agent, which knows what each point holds: the item lists
 * exactly those points, and each verifies to its disks' digests.
 */
export async function expectDrivenPoints(machine: SourceMachine, expected: Map<string, DiskDigests>): Promise<void> {
  const points = await verifyEveryPoint(machine.api, machine.r.projectId, machine.r.itemId);
  expect(points.map((p) => p.id).sort()).toEqual([...expected.keys()].sort());
  for (const point of points) expect(point.digests, `point ${point.id}`).toEqual(expected.get(point.id));
}
