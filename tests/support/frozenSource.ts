/**
 * A source machine's disks as image files, the writes a workload makes to them, and every state
 * they were frozen in. The real agent is registered with this source's freeze and thaw hooks,
 * so each cycle reads one instant of it (a CrashConsistent point), and the workload keeps still
 * while frozen — then any recovery point must equal one of the states recorded at a freeze, in
 * the order they came: that is how a test checks every point against the source.
 */
import { createHash, randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface SourceImageFile {
  diskId: string;
  file: string;
  sizeBytes: number;
}

/** SHA-256 of each disk, by disk id. */
export type Digests = Record<string, string>;

export interface FrozenState {
  /** Writes made before it (0: the disks as created). */
  writes: number;
  at: number;
  digests: Digests;
}

export class FrozenSource {
  readonly states: FrozenState[] = [];
  private writes = 0;
  private readonly poller: NodeJS.Timeout;
  private churn: NodeJS.Timeout | undefined;
  private shutDown = false;

  private constructor(
    readonly images: SourceImageFile[],
    private readonly dir: string,
  ) {
    this.states.push({ writes: 0, at: Date.now(), digests: this.digests() });
    this.poller = setInterval(() => this.answerFreeze(), 20);
  }

  /** Disks of these sizes in `dir`: random bytes with a zero run in each (sent as a zero run). */
  static create(dir: string, sizes: number[]): FrozenSource {
    const images = sizes.map((sizeBytes, i) => {
      const file = path.join(dir, `disk${i}.img`);
      const bytes = randomBytes(sizeBytes);
      bytes.fill(0, Math.floor(sizeBytes / 4), Math.floor(sizeBytes / 4) + 256 * 1024);
      fs.writeFileSync(file, bytes);
      return { diskId: `disk${i}`, file, sizeBytes };
    });
    return new FrozenSource(images, dir);
  }

  private get request(): string {
    return path.join(this.dir, "freeze.request");
  }

  private get ack(): string {
    return path.join(this.dir, "freeze.ack");
  }

  /** `agent register` options: the agent freezes this source around each cycle's read. */
  get hookArgs(): string[] {
    const freeze = `rm -f '${this.ack}'; touch '${this.request}'; until [ -f '${this.ack}' ]; do sleep 0.02; done`;
    return ["--freeze-command", freeze, "--thaw-command", `rm -f '${this.request}'`];
  }

  /**
   * `agent register` options for a planned migration: the shutdown command asks the workload to
   * stop and returns once it has (its last state recorded), as a real shutdown returns once quiet.
   */
  get shutdownArgs(): string[] {
    const done = path.join(this.dir, "shutdown.done");
    return ["--shutdown-command", `touch '${this.shutdownRequest}'; until [ -f '${done}' ]; do sleep 0.02; done`];
  }

  private get shutdownRequest(): string {
    return path.join(this.dir, "shutdown.request");
  }

  get frozen(): boolean {
    return fs.existsSync(this.request);
  }

  /** Ends a freeze whose agent was killed before it could thaw. */
  thaw(): void {
    fs.rmSync(this.request, { force: true });
  }

  /** SHA-256 of every disk as it is now. */
  digests(): Digests {
    return Object.fromEntries(this.images.map((image) => [image.diskId, sha256OfFile(image.file)]));
  }

  /** Writes random 4 KiB blocks over the disks, once the source is not frozen; returns bytes written. */
  async write(blocks = 8): Promise<number> {
    while (this.frozen) await sleep(20);
    if (this.shutDown) throw new Error("The source was shut down: nothing writes to it any more.");
    let bytes = 0;
    for (let i = 0; i < blocks; i += 1) {
      const image = this.images[i % this.images.length]!;
      const block = randomInt(0, Math.floor(image.sizeBytes / 4096));
      const fd = fs.openSync(image.file, "r+");
      try {
        fs.writeSync(fd, randomBytes(4096), 0, 4096, block * 4096);
      } finally {
        fs.closeSync(fd);
      }
      bytes += 4096;
    }
    this.writes += 1;
    return bytes;
  }

  /** Keeps writing `blocks` blocks every `intervalMs` (never while frozen) until stopChurn. */
  startChurn(intervalMs = 150, blocks = 4): void {
    let busy = false;
    this.churn = setInterval(() => {
      if (busy || this.frozen) return;
      busy = true;
      // A write the shutdown overtook is refused: the workload stopped.
      void this.write(blocks)
        .catch(() => undefined)
        .finally(() => (busy = false));
    }, intervalMs);
  }

  stopChurn(): void {
    clearInterval(this.churn);
    this.churn = undefined;
  }

  /** The newest frozen state holds every write made so far. */
  get settled(): boolean {
    return this.states.at(-1)!.writes === this.writes;
  }

  get writesMade(): number {
    return this.writes;
  }

  dispose(): void {
    this.stopChurn();
    clearInterval(this.poller);
    this.thaw();
  }

  /** A freeze or shutdown asked for and not yet answered: record the state (synchronously: no write slips in), answer. */
  private answerFreeze(): void {
    if (fs.existsSync(this.shutdownRequest) && !this.shutDown) {
      this.shutDown = true;
      this.stopChurn();
      this.record();
      fs.writeFileSync(path.join(this.dir, "shutdown.done"), "");
    }
    if (!this.frozen || fs.existsSync(this.ack)) return;
    this.record();
    fs.writeFileSync(this.ack, "");
  }

  private record(): void {
    const last = this.states.at(-1)!;
    if (last.writes !== this.writes) this.states.push({ writes: this.writes, at: Date.now(), digests: this.digests() });
  }
}

export function sha256OfFile(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}
