/** Exit codes scripts can rely on. */
export const exitCodes = {
  done: 0,
  /** The API refused (or a name did not resolve): nothing was done. */
  refused: 1,
  /** The command line itself is wrong, or Ferry is not set up (no server, no project). */
  usage: 2,
  /** The job ran and ended Failed or Cancelled. */
  jobFailed: 3,
  /** Ctrl-C while waiting: the job goes on. */
  detached: 130,
} as const;

/** A mistake on the command line or in the setup: exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A name that matches nothing, or more than one thing: exit 1, with the candidates. */
export class ResolveError extends Error {
  override readonly name = "ResolveError";

  constructor(
    readonly code: "NotFound" | "AmbiguousName",
    message: string,
    readonly target: string,
  ) {
    super(message);
  }
}
