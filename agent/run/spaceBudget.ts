/**
 * How large a change batch the state directory has room for. A write there that finds the disk
 * full (ENOSPC, or EDQUOT under a quota) fails the cycle without harm (docs/agent-run.md, "State
 * directory space"); the next cycle spools smaller batches, as large as the free space allows,
 * down to a floor; below it replication waits for space. Each batch that fits earns a try at
 * twice the size, the more failures at that size the later, until the configured size fits again.
 */
import { statfs } from "node:fs/promises";
import type { HeartbeatRequest } from "../../shared/api/agentData";
import type { BatchCaps } from "./batchSpool";
import { sizeText, type Logger } from "./log";

export type AgentProblem = NonNullable<HeartbeatRequest["problems"]>[number];

/** Smaller batches cost a request each for little data; below this, waiting for space is better. */
export const MIN_BATCH_BYTES = 256 * 1024;

/** Room a batch bound needs: the batch on the wire and the next being spooled, plus the journal and map growth. */
export function roomNeeded(batchBytes: number): number {
  return 2 * (batchBytes + Math.ceil(batchBytes / 64) + 64 * 1024) + 256 * 1024;
}

export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOSPC" || code === "EDQUOT";
}

interface Trouble {
  since: string;
  message: string;
  stopped: boolean;
}

export class SpaceBudget {
  private bound: number;
  private readonly floor: number;
  private trouble: Trouble | undefined;
  /** Failures seen at each bound: a bound that failed more often is tried again later. */
  private readonly failures = new Map<number, number>();
  private fitted = 0;

  constructor(
    private readonly configured: BatchCaps,
    private readonly stateDir: string,
    private readonly log: Logger,
  ) {
    this.bound = configured.maxDataBytes;
    this.floor = Math.min(MIN_BATCH_BYTES, configured.maxDataBytes);
  }

  caps(): BatchCaps {
    return { ...this.configured, maxDataBytes: this.bound };
  }

  /** What the heartbeat reports: nothing while the state directory has room. */
  problems(): AgentProblem[] {
    const trouble = this.trouble;
    if (!trouble) return [];
    return [
      {
        code: "AgentStateDiskFull",
        message: trouble.message,
        since: trouble.since,
        replicationStopped: trouble.stopped,
      },
    ];
  }

  /** A batch spooled under `caps` was written whole. */
  async spooled(caps: BatchCaps): Promise<void> {
    if (!this.trouble || caps.maxDataBytes !== this.bound) return;
    if (this.bound >= this.configured.maxDataBytes) {
      this.trouble = undefined;
      this.failures.clear();
      this.log.info(`the state directory has room again: batches of ${sizeText(this.bound)}`);
      return;
    }
    this.trouble.stopped = false;
    this.fitted += 1;
    const next = Math.min(this.configured.maxDataBytes, this.bound * 2);
    if (this.fitted < 2 ** (this.failures.get(next) ?? 0)) return;
    const room = await this.freeBytes();
    if (room !== undefined && room < roomNeeded(next)) return;
    this.setBound(next);
  }

  /** A write in the state directory found the disk full: smaller batches from now on, or a wait for space. */
  async failed(error: unknown): Promise<void> {
    const failedAt = this.bound;
    this.failures.set(failedAt, (this.failures.get(failedAt) ?? 0) + 1);
    const room = await this.freeBytes();
    let next = Math.max(this.floor, Math.floor(failedAt / 2));
    while (next > this.floor && room !== undefined && room < roomNeeded(next))
      next = Math.max(this.floor, Math.floor(next / 2));
    const stopped = failedAt <= this.floor;
    this.setBound(next);
    const code = (error as NodeJS.ErrnoException).code ?? "ENOSPC";
    const free = room === undefined ? code : `${sizeText(room)} free, ${code}`;
    const message =
      `No space left in the agent's state directory ${this.stateDir} (${free}) with batches of ${sizeText(failedAt)}` +
      (stopped
        ? ", the smallest it sends: replication waits for space."
        : `: sending batches of ${sizeText(next)} meanwhile.`);
    this.trouble = { since: this.trouble?.since ?? new Date().toISOString(), message: message.slice(0, 500), stopped };
    this.log.warn(message);
  }

  /** True while even the smallest batch does not fit. */
  get stopped(): boolean {
    return this.trouble?.stopped ?? false;
  }

  private setBound(bytes: number): void {
    this.bound = bytes;
    this.fitted = 0;
  }

  private async freeBytes(): Promise<number | undefined> {
    try {
      const stats = await statfs(this.stateDir);
      return stats.bavail * stats.bsize;
    } catch {
      return undefined;
    }
  }
}
