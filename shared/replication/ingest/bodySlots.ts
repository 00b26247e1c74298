/**
 * How many batch bodies one process reads and writes at once. The rest wait their turn before a byte of
 * their body is read (TCP holds the sender back meanwhile): decoding, digests and page writes of many
 * agents' batches at once queue every other request — heartbeats first — behind their work on the one
 * event loop, while storage and CPU get no faster for it (bench/fleet: heartbeat p99).
 */
export const BATCHES_AT_ONCE = 4;

/** A counting semaphore: at most `limit` works run at once, the others start in the order they came. */
export class Slots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((start) => this.waiting.push(start));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Works running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}

/** The process's batch bodies. */
export const batchSlots = new Slots(BATCHES_AT_ONCE);
