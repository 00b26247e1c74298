import { ResolveError } from "./cliErrors";

export interface Candidate<T> {
  item: T;
  id: string;
  /** Names it goes by (a server: its host name and target VM name). */
  names: readonly string[];
}

const shown = 10;

/**
 * The one thing `text` names: its id, else an exact name, else a name in any case. None or more
 * than one is an error that lists what there is, so the next try can be right.
 */
export function pickOne<T>(kind: string, text: string, candidates: readonly Candidate<T>[]): T {
  const byId = candidates.filter((c) => c.id === text);
  if (byId.length === 1) return byId[0].item;
  let matches = candidates.filter((c) => c.names.includes(text));
  if (matches.length === 0) {
    const lower = text.toLowerCase();
    matches = candidates.filter((c) => c.names.some((name) => name.toLowerCase() === lower));
  }
  if (matches.length === 1) return matches[0].item;
  if (matches.length > 1) {
    throw new ResolveError(
      "AmbiguousName",
      `"${text}" names ${matches.length} ${kind}s: ${describe(matches)}. Use the id.`,
      kind,
    );
  }
  const known = candidates.length === 0 ? `there are none yet` : `there are: ${describe(candidates)}`;
  throw new ResolveError("NotFound", `No ${kind} is named "${text}"; ${known}.`, kind);
}

function describe<T>(candidates: readonly Candidate<T>[]): string {
  const listed = candidates.slice(0, shown).map((c) => `${c.names[0] ?? c.id} (${c.id})`);
  if (candidates.length > shown) listed.push(`and ${candidates.length - shown} more`);
  return listed.join(", ");
}
