/** Polls an item's recovery points once a second: when each was first seen processed (its batches applied to the replica). */
import { routes } from "../../client";
import type { FerryStack } from "./ferryStack";

export class PointWatcher {
  /** Epoch ms each point was first seen processed. */
  readonly processedAt = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();

  constructor(
    private readonly stack: FerryStack,
    private readonly itemId: string,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.polling = this.poll().catch(() => undefined);
    }, 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  /** Polls until `pointId` is processed or `timeoutMs` passes; the time it was seen processed, if it was. */
  async untilProcessed(pointId: string, timeoutMs: number): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (!this.processedAt.has(pointId) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 500));
    return this.processedAt.get(pointId);
  }

  private async poll(): Promise<void> {
    const listed = await this.stack.project.listAll(routes.listRecoveryPoints, { params: { itemId: this.itemId } });
    const now = Date.now();
    for (const point of listed)
      if (point.processed && !this.processedAt.has(point.id)) this.processedAt.set(point.id, now);
  }
}
