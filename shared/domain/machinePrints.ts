/**
 * Telling a machine from a copy of it by the fingerprint its agent signs into every request
 * (hostname, a hash of its SMBIOS UUID and machine id, a hash of its boot id). The first print
 * seen is the machine's. Another identity using the same key is a clone: refused. The same
 * identity on a new boot is the machine restarted — or a VM cloned whole, identity and all — so
 * a new boot's requests wait a quiet period first: if the earlier boot is heard meanwhile, both
 * are running and the newer is the copy; if it is heard only after, it is the copy (a VM resumed
 * from a saved state). Either way the copy is refused from then on and writes nothing.
 */

export interface MachinePrint {
  readonly host: string;
  readonly id?: string;
  readonly boot?: string;
}

export interface PrintRecord {
  /** The print of the machine the key belongs to, as last heard. */
  readonly machine: MachinePrint;
  /** Boots of the machine superseded by later ones, newest first. */
  readonly earlierBoots: readonly string[];
  /** Until when the machine's current boot waits (ISO 8601), set when it was first heard after another. */
  readonly heldUntil?: string;
  /** The other machine using the key, once one was heard. */
  readonly clone?: { readonly print: MachinePrint; readonly firstSeenAt: string; readonly lastSeenAt: string };
}

export interface PrintVerdict {
  /** False: refused — a clone's request, or one of a new boot still waiting (`holdSeconds`). */
  readonly accepted: boolean;
  /** What to store; undefined, or the very record judged, when nothing changed. */
  readonly record?: PrintRecord;
  /** Set when this request showed that a clone uses the key (its print). */
  readonly clone?: MachinePrint;
  /** A new boot's request: how long until it is taken. */
  readonly holdSeconds?: number;
}

/**
 * How long a new boot waits before its requests are taken: a few of the earlier boot's heartbeats
 * (every 10 s by default), any of which would show it still running.
 */
export const NEW_BOOT_QUIET_MS = 30_000;
const EARLIER_BOOTS_KEPT = 8;
/** A clone heard again within this long is not written down again (its refusals cost no writes). */
const CLONE_REFRESH_MS = 60_000;

/** The same machine: the same identity hash, or, where neither print has one, the same hostname. */
function sameMachine(a: MachinePrint, b: MachinePrint): boolean {
  return a.id !== undefined || b.id !== undefined ? a.id === b.id : a.host === b.host;
}

const samePrint = (a: MachinePrint, b: MachinePrint) => sameMachine(a, b) && a.boot === b.boot && a.host === b.host;
const heldFor = (record: PrintRecord, now: Date) =>
  record.heldUntil === undefined ? 0 : Date.parse(record.heldUntil) - now.getTime();

function withClone(record: PrintRecord, print: MachinePrint, now: Date): PrintRecord {
  const known = record.clone && samePrint(record.clone.print, print) ? record.clone : undefined;
  if (known && now.getTime() - Date.parse(known.lastSeenAt) < CLONE_REFRESH_MS) return record;
  const at = now.toISOString();
  return { ...record, clone: { print, firstSeenAt: known?.firstSeenAt ?? at, lastSeenAt: at } };
}

const refused = (record: PrintRecord, print: MachinePrint, now: Date): PrintVerdict => ({
  accepted: false,
  record: withClone(record, print, now),
  clone: print,
});

/** Judges one request's print against what is recorded for its key. */
export function judgePrint(record: PrintRecord | undefined, print: MachinePrint, now: Date): PrintVerdict {
  if (record === undefined) return { accepted: true, record: { machine: print, earlierBoots: [] } };
  const { machine, earlierBoots } = record;
  if ((record.clone && samePrint(record.clone.print, print)) || !sameMachine(machine, print))
    return refused(record, print, now);
  if (print.boot === machine.boot) return currentBoot(record, print, now);
  if (print.boot !== undefined && earlierBoots.includes(print.boot)) return earlierBootAgain(record, print, now);
  const superseded = machine.boot === undefined ? earlierBoots : [machine.boot, ...earlierBoots];
  const heldUntil = new Date(now.getTime() + NEW_BOOT_QUIET_MS).toISOString();
  return {
    accepted: false,
    holdSeconds: NEW_BOOT_QUIET_MS / 1000,
    record: { ...record, machine: print, earlierBoots: superseded.slice(0, EARLIER_BOOTS_KEPT), heldUntil },
  };
}

/** The machine as recorded: taken, once its boot's quiet period is over; a renamed host is still it. */
function currentBoot(record: PrintRecord, print: MachinePrint, now: Date): PrintVerdict {
  const renamed = print.host === record.machine.host ? undefined : { ...record, machine: print };
  const wait = heldFor(record, now);
  return wait > 0
    ? { accepted: false, holdSeconds: Math.ceil(wait / 1000), record: renamed }
    : { accepted: true, record: renamed };
}

/**
 * An earlier boot heard again. Within the new boot's quiet period both are running, the earlier
 * one all along: the new one is the copy. After it, the new boot is the machine and the earlier
 * one, back from silence, is the copy.
 */
function earlierBootAgain(record: PrintRecord, print: MachinePrint, now: Date): PrintVerdict {
  if (heldFor(record, now) <= 0) return refused(record, print, now);
  const { heldUntil: _held, ...rest } = record;
  const restored = { ...rest, machine: print, earlierBoots: record.earlierBoots.filter((boot) => boot !== print.boot) };
  return { accepted: true, record: withClone(restored, record.machine, now), clone: record.machine };
}
