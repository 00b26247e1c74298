/** What every benchmark module exports (see bench/run.ts for the list that runs). */
export interface Bench {
  /** Short area/name, also the filter `npm run bench -- <text>` matches against. */
  name: string;
  run(context: BenchContext): Promise<void>;
}

export interface BenchContext {
  /** A connection string for one in-memory Azurite shared by the run, started on first use. */
  storage(): Promise<string>;
}
