/**
 * Every heartbeat the agents sent, as the relay in front of the host saw it: which machine, when,
 * how long the answer took, and its status — the latency the agents themselves wait for.
 */
import type { Exchange } from "./relay";

export interface Heartbeat {
  machineId: string;
  /** performance.now() when it arrived. */
  at: number;
  ms: number;
  status: number;
}

const heartbeatPath = /\/agent\/machines\/([^/?]+)\/heartbeat(?:\?|$)/;

export class HeartbeatLog {
  readonly beats: Heartbeat[] = [];

  /** The relay's listener: keeps heartbeats, ignores batches and cycles. */
  readonly record = (exchange: Exchange): void => {
    const match = exchange.method === "POST" ? heartbeatPath.exec(exchange.url) : null;
    if (!match) return;
    const machineId = decodeURIComponent(match[1] as string);
    this.beats.push({ machineId, at: exchange.startedAt, ms: exchange.ms, status: exchange.status });
  };

  /**
   * The longest silence of any of the machines between `from` and `to` (performance.now() ms):
   * between two of its heartbeats, or from `from` to its first, or from its last to `to`.
   */
  longestSilenceMs(machineIds: readonly string[], from: number, to: number): { machineId: string; ms: number } {
    let worst = { machineId: "", ms: 0 };
    for (const machineId of machineIds) {
      const times = this.beats.filter((b) => b.machineId === machineId && b.at >= from && b.at <= to).map((b) => b.at);
      const edges = [from, ...times, to];
      for (let i = 1; i < edges.length; i++) {
        const gap = (edges[i] as number) - (edges[i - 1] as number);
        if (gap > worst.ms) worst = { machineId, ms: gap };
      }
    }
    return worst;
  }
}
