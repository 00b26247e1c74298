/**
 * Bandwidth throttle for the send stream: a token bucket refilled at the current rate, which
 * may change while a batch is on the wire (each heartbeat can bring a new limit).
 */
import { setTimeout as sleep } from "node:timers/promises";

export class TokenBucket {
  private tokens = 0;
  private last = performance.now();
  private rate: number | undefined;

  constructor(rate?: number) {
    this.setRate(rate);
  }

  setRate(bytesPerSecond: number | undefined): void {
    this.refill();
    this.rate = bytesPerSecond !== undefined && bytesPerSecond > 0 ? bytesPerSecond : undefined;
    this.tokens = Math.min(this.tokens, this.burst());
  }

  get bytesPerSecond(): number | undefined {
    return this.rate;
  }

  /** Waits until `bytes` may go out; unlimited when no rate is set. */
  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    if (this.rate === undefined) return;
    this.refill();
    this.tokens -= bytes;
    if (this.tokens < 0) await sleep((-this.tokens / this.rate) * 1000, undefined, { signal });
  }

  /** A quarter second of sending may go out at once: smooth, yet not one timer per packet. */
  private burst(): number {
    return this.rate === undefined ? 0 : Math.max(this.rate / 4, 16 * 1024);
  }

  private refill(): void {
    const now = performance.now();
    if (this.rate !== undefined)
      this.tokens = Math.min(this.burst(), this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }
}
