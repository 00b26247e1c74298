/**
 * What the heartbeat does with the agent's reports of lost state (docs/data-path.md, "Resync"):
 * a new doubt marks the item ResyncRequired and starts the resync at once unless replication is
 * paused; a doubt already acted on (same or older `since`) changes nothing, so a heartbeat that
 * crossed the resync's completion cannot start another one.
 */
import type { HeartbeatRequest } from "../../api/agentData";
import { itemState, withState } from "../../controlPlane/items";
import { automaticResync, resyncRequiredDetected } from "../../domain/itemTransitions";
import type { ItemRow } from "../../storage/rows";

type ResyncReport = NonNullable<HeartbeatRequest["resyncNeeded"]>[number];

const MAX_REASON = 1000;

export function withResyncReports(row: ItemRow, reports: readonly ResyncReport[], now: Date): ItemRow {
  const marked = reports.length > 0 ? markRequired(row, reports, now) : row;
  // A required resync starts while the agent still reports its doubt (e.g. after Resume).
  const started = reports.length > 0 ? startAutomatically(marked, now) : marked;
  return withResyncId(started, now);
}

function markRequired(row: ItemRow, reports: readonly ResyncReport[], now: Date): ItemRow {
  const newest =
    reports
      .map((r) => new Date(r.since).toISOString())
      .sort()
      .at(-1) ?? "";
  if (row.resyncDoubtAt !== undefined && newest <= row.resyncDoubtAt) return row;
  const reason =
    "The agent lost or distrusts its replication state: " +
    `${reports.map((r) => `${r.diskId}: ${r.reason}`).join("; ")}`;
  const required = resyncRequiredDetected(itemState(row));
  // Seeding or migrating: the agent's full pass is the copy itself; only remember the doubt was seen.
  if (!required.ok) return { ...row, resyncDoubtAt: newest };
  return { ...withState(row, required.value, now), resyncDoubtAt: newest, resyncReason: reason.slice(0, MAX_REASON) };
}

function startAutomatically(row: ItemRow, now: Date): ItemRow {
  const state = itemState(row);
  const next = automaticResync(state);
  return next === state ? row : withState(row, next, now);
}

/** Every running resync carries an id (its start time), whichever way it started; none outside a resync. */
function withResyncId(row: ItemRow, now: Date): ItemRow {
  if (row.resyncInProgress && row.resyncStartedAt === undefined) return { ...row, resyncStartedAt: now.toISOString() };
  if (!row.resyncInProgress && row.resyncStartedAt !== undefined) return withoutResyncId(row);
  return row;
}

/** The row without the running resync's id (the property left out, not stored as empty). */
function withoutResyncId(row: ItemRow): ItemRow {
  const { resyncStartedAt: _id, ...rest } = row;
  return rest;
}
