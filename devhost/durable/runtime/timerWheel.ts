// setTimeout accepts at most 2^31-1 ms; longer timers re-arm.
const maxDelay = 2_147_483_647;

/** Durable timers held in memory; storage holds their TimerCreated events for restarts. */
export class TimerWheel {
  private readonly byInstance = new Map<string, Set<NodeJS.Timeout>>();

  arm(instanceId: string, fireAt: number, onFire: () => void): void {
    const set = this.byInstance.get(instanceId) ?? new Set<NodeJS.Timeout>();
    this.byInstance.set(instanceId, set);
    const schedule = () => {
      const delay = Math.max(0, fireAt - Date.now());
      const handle = setTimeout(
        () => {
          set.delete(handle);
          if (fireAt > Date.now()) schedule();
          else onFire();
        },
        Math.min(delay, maxDelay),
      );
      set.add(handle);
    };
    schedule();
  }

  cancel(instanceId: string): void {
    for (const handle of this.byInstance.get(instanceId) ?? []) clearTimeout(handle);
    this.byInstance.delete(instanceId);
  }

  cancelAll(): void {
    for (const id of [...this.byInstance.keys()]) this.cancel(id);
  }
}
