/**
 * A scan's changes with one-change lookahead: a batch stops before the change that would
 * overflow it. The held change is the scan's latest, so its bytes stay valid until it is taken.
 */
import type { ScannedChange } from "./rangeScanner";

export class ChangeQueue {
  private held: IteratorResult<ScannedChange> | undefined;

  constructor(private readonly source: AsyncIterator<ScannedChange>) {}

  async peek(): Promise<ScannedChange | undefined> {
    this.held ??= await this.source.next();
    return this.held.done ? undefined : this.held.value;
  }

  async next(): Promise<ScannedChange | undefined> {
    const change = await this.peek();
    if (change !== undefined) this.held = undefined;
    return change;
  }

  /** Stops the scan early (a cycle was interrupted), closing the disk reader's generator. */
  async close(): Promise<void> {
    await this.source.return?.();
  }
}
