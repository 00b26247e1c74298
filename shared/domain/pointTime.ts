/**
 * The time a recovery point records. The agent says when the source was in the point's state
 * (`sourceTime`), but its clock is its own: the server refuses a claim further ahead of its own
 * clock than a signed request may be, and records no time later than when it received the cycle
 * (the source cannot have been in a state it had not yet sent).
 */
import { errors } from "./errors";
import { fail, ok, type Result } from "./result";

/** As far ahead as a signed request's timestamp may be (the ±5 minute signature window). */
export const SOURCE_TIME_AHEAD_MS = 5 * 60 * 1000;

export function pointTime(sourceTime: string, receivedAt: Date): Result<string> {
  const claimed = Date.parse(sourceTime);
  const latest = receivedAt.getTime() + SOURCE_TIME_AHEAD_MS;
  if (!Number.isFinite(claimed) || claimed > latest)
    return fail(errors.invalidSourceTime(sourceTime, new Date(latest).toISOString()));
  return ok(new Date(Math.min(claimed, receivedAt.getTime())).toISOString());
}
