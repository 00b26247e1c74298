/**
 * Ferry set up to be hurt: the host reaches Azurite through storage fault proxies, the agent
 * reaches the host through a fault proxy of its own (a partition is cut there), and the operator
 * through another that holds requests while the host is down. `crashHost` kills the host with
 * SIGKILL — nothing more it asked for reaches storage — and starts it again on the same storage,
 * task hub and operator key; agents and operators keep their URLs.
 */
import { randomBytes } from "node:crypto";
import { FaultProxy, type SeenRequest } from "./faultProxy";
import { FerryApi, startFerry, type RunningFerry } from "./ferryApi";
import { uniqueHubName } from "./hostProcess";
import { StorageFaults, type StorageService } from "./storageFaults";
import type { TestClock } from "./testClock";

/** One kind of storage request: the service, the method and a pattern of the decoded path and query. */
export interface StorageCall {
  service: StorageService;
  method?: string | RegExp;
  path: RegExp;
  /** The first matching request that counts (default 1). */
  from?: number;
}

export interface RigOptions {
  /** The Azurite the host's storage proxies forward to. */
  storage: string;
  /** Host settings (FERRY_CYCLE_INTERVAL_SECONDS is 1 unless given). */
  env?: Record<string, string>;
  /** The host's wall clock, when a test moves it (agents take it too unless given their own). */
  clock?: TestClock;
}

export class FaultRig {
  /** Output of the hosts killed so far, for failure messages. */
  readonly deadHosts: string[] = [];
  private restarting: Promise<void> | undefined;

  private constructor(
    readonly storage: StorageFaults,
    /** The agent's way to the host. */
    readonly front: FaultProxy,
    private readonly desk: FaultProxy,
    public ferry: RunningFerry,
    private readonly settings: { hubName: string; operatorKey: string; env: Record<string, string> },
    readonly clock: TestClock | undefined,
  ) {}

  static async start(options: RigOptions): Promise<FaultRig> {
    const storage = await StorageFaults.start(options.storage);
    const settings = {
      hubName: uniqueHubName("Faults"),
      operatorKey: randomBytes(24).toString("base64url"),
      env: { FERRY_CYCLE_INTERVAL_SECONDS: "1", ...options.env, ...options.clock?.env() },
    };
    const ferry = await startFerry(storage.connectionString, settings);
    const front = await FaultProxy.start(ferry.host.origin);
    const desk = await FaultProxy.start(ferry.host.origin, { retryReads: true });
    return new FaultRig(storage, front, desk, ferry, settings, options.clock);
  }

  /** The operator's API; it outlives host restarts. */
  get api(): FerryApi {
    return new FerryApi(this.desk.origin, this.settings.operatorKey);
  }

  /** The URL agents register with (`--server`). */
  get agentServer(): string {
    return `${this.front.origin}/api`;
  }

  /** SIGKILL now, then the same host again; resolves once it serves. One restart at a time. */
  crashHost(): Promise<void> {
    this.restarting ??= this.restart().finally(() => (this.restarting = undefined));
    return this.restarting;
  }

  /** Until the host that replaced a killed one serves. */
  async hostBack(): Promise<void> {
    while (this.restarting) await this.restarting;
  }

  /**
   * Arms a crash at a storage call: the host dies on the matching request (held, never sent),
   * or with "after" once storage has done it and before the host hears back — counted only
   * after `following` went by, when given. Resolves once the next host serves.
   */
  crashAt(call: StorageCall, when: "before" | "after", following?: StorageCall): Promise<SeenRequest> {
    const crash = () =>
      new Promise<SeenRequest>((resolve, reject) => {
        const armed = this.storage.add(call.service, {
          ...call,
          action: when === "after" ? { kind: "loseResponse" } : { kind: "stall" },
          onFire: () => void this.crashHost(),
        });
        armed.fired.then((seen) => this.hostBack().then(() => resolve(seen)), reject);
      });
    if (!following) return crash();
    return new Promise<SeenRequest>((resolve, reject) => {
      this.storage.add(following.service, {
        ...following,
        action: { kind: "pass" },
        onFire: () => void crash().then(resolve, reject),
      });
    });
  }

  async stop(): Promise<void> {
    await this.hostBack().catch(() => undefined);
    await this.ferry.stop();
    await Promise.all([this.front.close(), this.desk.close()]);
    await this.storage.close();
  }

  private async restart(): Promise<void> {
    // Nothing after the fault reaches storage; agents and operators wait for the next host.
    this.storage.cut(true);
    this.front.pause();
    this.desk.pause();
    await this.ferry.host.kill("SIGKILL");
    this.deadHosts.push(this.ferry.host.output());
    this.storage.cut(false);
    this.ferry = await startFerry(this.storage.connectionString, this.settings);
    this.front.retarget(this.ferry.host.origin);
    this.desk.retarget(this.ferry.host.origin);
    this.front.resume();
    this.desk.resume();
  }
}
