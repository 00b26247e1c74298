/**
 * One source machine replicated by the real agent through a fault rig: its disks (a frozen
 * source, so every point is one recorded instant of it), its enrollment, its agent process, and
 * the end every scenario shares — writes stopped, a point holding all of them, every point
 * verified against the source's states.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { enrollWithHost, fastRunEnv, MiB, startAgent, type RunningAgent } from "./agentRunKit";
import { eventually, type EventuallyOptions } from "./eventually";
import type { FaultRig } from "./faultRig";
import { FrozenSource } from "./frozenSource";
import { expectEveryPointFromSource, type SourceCheck } from "./pointChecks";
import type { TestClock } from "./testClock";

export interface GridItem {
  migrationState: string;
  health: string;
  healthErrors: { code: string; message: string; recommendedAction: string; severity: string }[];
  resyncInProgress: boolean;
  lastRecoveryPointTime?: string;
  lastHeartbeatTime?: string;
  disks: { diskId: string; bytesReplicated: number }[];
}

export interface SourceOptions {
  /** Disk sizes (default: 3 MiB and a bit, and 1 MiB and a bit: several 1 MiB batches, odd sizes). */
  sizes?: number[];
  /** Further `agent register` options. */
  registerArgs?: string[];
  /** Register the source's shutdown command, for a migration that shuts it down. */
  shutdown?: boolean;
  /** Replicate with this policy instead of the project's default. */
  policy?: Record<string, string | number>;
  /** The clock the agent runs on, when not the host's (a skewed one). */
  clock?: TestClock;
}

export const defaultSizes = [3 * MiB + 5 * 4096 + 512, MiB + 3000];

export class FaultSource {
  agent: RunningAgent | undefined;
  private readonly agents: RunningAgent[] = [];

  private constructor(
    private readonly rig: FaultRig,
    readonly dir: string,
    readonly disks: FrozenSource,
    readonly enrolled: { stateDir: string; projectId: string; itemId: string; itemPath: string },
    private readonly clock: TestClock | undefined,
  ) {}

  static async enroll(rig: FaultRig, options: SourceOptions = {}): Promise<FaultSource> {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ferry-fault-"));
    const disks = FrozenSource.create(dir, options.sizes ?? defaultSizes);
    const enrolled = await enrollWithHost(
      rig.api,
      rig.front.origin,
      dir,
      disks.images.map((image) => image.file),
      {
        registerArgs: [
          ...disks.hookArgs,
          ...(options.shutdown ? disks.shutdownArgs : []),
          ...(options.registerArgs ?? []),
        ],
        policy: options.policy,
      },
    );
    return new FaultSource(rig, dir, disks, enrolled, options.clock ?? rig.clock);
  }

  get itemPath(): string {
    return this.enrolled.itemPath;
  }

  /** `agent run` (the fast test settings unless told, on the source's clock); killed by dispose. */
  startAgent(env: Record<string, string> = fastRunEnv): RunningAgent {
    this.agent = startAgent(this.enrolled.stateDir, { ...env, ...this.clock?.env() });
    this.agents.push(this.agent);
    return this.agent;
  }

  item(): Promise<GridItem> {
    return this.rig.api.expect<GridItem>(this.rig.api.get(this.itemPath), 200);
  }

  /** Polls the item; fails at once, with its output, if the agent died meanwhile. */
  waitForItem(done: (item: GridItem) => boolean, options: EventuallyOptions<GridItem> = {}): Promise<GridItem> {
    return eventually(
      async () => {
        const agent = this.agent;
        if (agent && agent.child.exitCode !== null) throw new Error(`the agent exited:\n${agent.output()}`);
        return this.item();
      },
      done,
      { timeoutMs: 60_000, ...options },
    );
  }

  /** Starts the agent (unless running) and waits for the first copy and its point. */
  async seeded(): Promise<GridItem> {
    if (!this.agent) this.startAgent();
    return this.waitForItem((item) => item.migrationState === "Replicating" && !!item.lastRecoveryPointTime, {
      what: "the initial copy and its point",
    });
  }

  /**
   * Stops writing, waits for a freeze that holds every write, then for a cycle answered after it:
   * a cycle is posted after its thaw and the next freeze comes after that answer, so a cycle
   * posted after the last freeze read that state (or a later cycle did, with the same state).
   */
  async caughtUp(timeoutMs = 60_000): Promise<void> {
    this.disks.stopChurn();
    await eventually(
      () => this.disks.settled,
      (settled) => settled,
      { timeoutMs, what: "a freeze after the last write" },
    );
    const frozenAt = this.disks.states.at(-1)!.at;
    const cycles = new RegExp(`/items/${this.enrolled.itemId}/cycles$`);
    await eventually(
      () => this.rig.front.seen.some((seen) => cycles.test(seen.path) && seen.at > frozenAt && seen.status === 200),
      Boolean,
      { timeoutMs, what: "a recovery point holding the last write" },
    );
  }

  /** Caught up, then the agent stopped: the points are final. */
  async settle(timeoutMs = 60_000): Promise<void> {
    await this.caughtUp(timeoutMs);
    await this.agent?.kill("SIGTERM");
  }

  /** Settles, then verifies every point against the source; the number of points verified. */
  async expectNothingLost(check: SourceCheck = {}): Promise<number> {
    await this.settle();
    const { projectId, itemId } = this.enrolled;
    return expectEveryPointFromSource(this.rig.api, projectId, itemId, this.disks.states, check);
  }

  async dispose(): Promise<void> {
    for (const agent of this.agents.splice(0)) await agent.kill("SIGKILL");
    this.disks.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
