/** Random 4 KiB writes at a steady rate on a disk image, with when each tick's writes were done. */
import { randomBytes, randomInt } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";

export interface WriteTick {
  /** Epoch ms once the tick's writes returned. */
  at: number;
  writes: number;
}

const BLOCK = 4096;
const TICK_MS = 50;

export class ChurnWriter {
  readonly ticks: WriteTick[] = [];
  private timer: NodeJS.Timeout | undefined;
  private owed = 0;
  private fd = -1;

  constructor(
    private readonly file: string,
    private readonly sizeBytes: number,
    private readonly bytesPerSecond: number,
  ) {}

  start(): void {
    this.fd = openSync(this.file, "r+");
    let last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      this.owed += (this.bytesPerSecond * (now - last)) / 1000 / BLOCK;
      last = now;
      this.writeOwed();
    }, TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  get bytesWritten(): number {
    return this.ticks.reduce((sum, tick) => sum + tick.writes, 0) * BLOCK;
  }

  private writeOwed(): void {
    const count = Math.floor(this.owed);
    if (count === 0) return;
    this.owed -= count;
    const data = randomBytes(count * BLOCK);
    const blocks = Math.floor(this.sizeBytes / BLOCK);
    for (let i = 0; i < count; i += 1) writeSync(this.fd, data, i * BLOCK, BLOCK, randomInt(blocks) * BLOCK);
    this.ticks.push({ at: Date.now(), writes: count });
  }
}
