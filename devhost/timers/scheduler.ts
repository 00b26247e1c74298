import type { Invoker } from "../core/invoke";
import { triggerOf } from "../core/invoke";
import type { RegisteredFunction } from "../core/worker";
import { resolveSettingRefs } from "../app/hostConfig";
import { log } from "../log";
import { nextOccurrence, parseSchedule, type Schedule } from "./ncrontab";

const maxTimeout = 2 ** 31 - 1;

interface TimerFunction {
  name: string;
  schedule: Schedule;
  runOnStartup: boolean;
  last?: Date;
}

/** Fires timer-triggered functions on their schedules; a run never overlaps the previous one. */
export class TimerScheduler {
  readonly timers: TimerFunction[];
  #handles = new Set<NodeJS.Timeout>();
  #running = new Set<Promise<unknown>>();
  #stopped = false;

  constructor(
    private readonly invoker: Invoker,
    functions: RegisteredFunction[],
    env: NodeJS.ProcessEnv,
  ) {
    this.timers = functions
      .filter((fn) => triggerOf(fn)[1].type?.toLowerCase() === "timertrigger")
      .map((fn) => {
        const binding = triggerOf(fn)[1];
        const schedule = resolveSettingRefs(String(binding.schedule ?? ""), env);
        return {
          name: fn.metadata.name,
          schedule: parseSchedule(schedule),
          runOnStartup: binding.runOnStartup === true,
        };
      });
  }

  start(): void {
    for (const timer of this.timers) {
      if (timer.runOnStartup) this.fire(timer, new Date(), false);
      else this.arm(timer);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#handles.forEach((h) => clearTimeout(h));
    await Promise.allSettled([...this.#running]);
  }

  private arm(timer: TimerFunction): void {
    if (this.#stopped) return;
    this.wakeAt(timer, nextOccurrence(timer.schedule, new Date()));
  }

  /** Waits in steps no longer than setTimeout allows (~24.8 days); longer delays fire at once. */
  private wakeAt(timer: TimerFunction, due: Date): void {
    const wait = Math.max(0, due.getTime() - Date.now());
    const handle = setTimeout(
      () => {
        this.#handles.delete(handle);
        if (wait > maxTimeout) this.wakeAt(timer, due);
        else this.fire(timer, due, Date.now() - due.getTime() > 1000);
      },
      Math.min(wait, maxTimeout),
    );
    this.#handles.add(handle);
  }

  private fire(timer: TimerFunction, due: Date, isPastDue: boolean): void {
    const now = new Date();
    const payload = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: {
        Last: (timer.last ?? now).toISOString(),
        Next: nextOccurrence(timer.schedule, due).toISOString(),
        LastUpdated: now.toISOString(),
      },
      IsPastDue: isPastDue,
    };
    timer.last = now;
    const run = this.invoker
      // A run that did its work says so itself; a run that did nothing says nothing, but a failure is an error.
      .invoke({ functionName: timer.name, trigger: { json: JSON.stringify(payload) }, successLevel: "debug" })
      .catch((e: unknown) =>
        log("error", "host", `Timer ${timer.name} failed: ${e instanceof Error ? e.message : String(e)}`),
      )
      .finally(() => {
        this.#running.delete(run);
        this.arm(timer);
      });
    this.#running.add(run);
  }
}
