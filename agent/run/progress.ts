/** Running figures for heartbeats and logs: bytes on the wire, recent speed, backlog, per-disk progress. */
import type { DiskFigures, HeartbeatRequest } from "./protocol";

const SPEED_WINDOW_MS = 10_000;

export class Progress {
  private bytesSent = 0;
  private recent: Array<{ at: number; bytes: number }> = [];
  private readonly disks = new Map<string, DiskFigures>();
  private backlog: () => number = () => 0;

  wireBytes(diskId: string, bytes: number): void {
    this.bytesSent += bytes;
    this.disk(diskId).bytesSent += bytes;
    const now = Date.now();
    const last = this.recent.at(-1);
    if (last && now - last.at < 100) last.bytes += bytes;
    else this.recent.push({ at: now, bytes });
  }

  scanned(diskId: string, bytes: number): void {
    this.disk(diskId).bytesScanned = bytes;
  }

  /** Bytes still to send, as the running cycle estimates them. */
  setBacklog(estimate: () => number): void {
    this.backlog = estimate;
  }

  heartbeat(): HeartbeatRequest {
    const now = Date.now();
    this.recent = this.recent.filter((sample) => now - sample.at <= SPEED_WINDOW_MS);
    const recentBytes = this.recent.reduce((sum, sample) => sum + sample.bytes, 0);
    return {
      figures: {
        bytesSent: this.bytesSent,
        bytesPerSecond: Math.round(recentBytes / (SPEED_WINDOW_MS / 1000)),
        backlogBytes: Math.max(0, Math.round(this.backlog())),
      },
      ...(this.disks.size > 0 ? { disks: [...this.disks.values()].map((disk) => ({ ...disk })) } : {}),
    };
  }

  private disk(diskId: string): DiskFigures {
    let figures = this.disks.get(diskId);
    if (!figures) this.disks.set(diskId, (figures = { diskId, bytesScanned: 0, bytesSent: 0 }));
    return figures;
  }
}
