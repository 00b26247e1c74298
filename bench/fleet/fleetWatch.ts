/**
 * Samples the replicating-servers grid, as an operator's console would: when each item was first
 * seen Replicating with a recovery point, and every health error `AgentHeartbeatLost` seen on any
 * item. Paused while the idle window counts storage requests, so its own reads are not counted.
 */
import { routes, type ProjectClient, type ReplicatingServer } from "../../client";

export interface LostSighting {
  itemId: string;
  machineName: string;
  at: string;
  message: string;
}

export class FleetWatch {
  /** Item id → epoch ms when first seen Replicating with a point. */
  readonly replicatingAt = new Map<string, number>();
  readonly lost: LostSighting[] = [];
  samples = 0;
  private paused = false;
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly project: ProjectClient,
    private readonly everyMs: number,
  ) {
    this.loop = this.run();
  }

  /** One sample now (also while paused). */
  async sample(): Promise<ReplicatingServer[]> {
    const items = await this.project.listAll(routes.listReplicatingServers);
    this.samples += 1;
    const now = Date.now();
    for (const item of items) {
      if (item.migrationState === "Replicating" && item.lastRecoveryPointTime && !this.replicatingAt.has(item.id))
        this.replicatingAt.set(item.id, now);
      for (const error of item.healthErrors)
        if (error.code === "AgentHeartbeatLost")
          this.lost.push({
            itemId: item.id,
            machineName: item.machineName,
            at: new Date(now).toISOString(),
            message: error.message,
          });
    }
    return items;
  }

  pause(paused: boolean): void {
    this.paused = paused;
  }

  /** Resolves once every one of the items has been seen Replicating with a point; epoch ms of the last. */
  async allReplicating(itemIds: readonly string[], timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!itemIds.every((id) => this.replicatingAt.has(id))) {
      if (Date.now() > deadline) {
        const waiting = itemIds.filter((id) => !this.replicatingAt.has(id));
        throw new Error(`${waiting.length} items not Replicating after ${timeoutMs / 1000} s: ${waiting.join(", ")}`);
      }
      await sleep(100);
    }
    return Math.max(...itemIds.map((id) => this.replicatingAt.get(id) as number));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (!this.paused) await this.sample().catch((error: unknown) => console.log(`  watch: ${String(error)}`));
      await sleep(this.everyMs);
    }
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
