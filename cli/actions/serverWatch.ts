import type { ReplicatingServer } from "../../client/resources";
import { routes } from "../../shared/api/routes";
import type { Invocation } from "../commandKit";
import { resolveServer } from "../lookups";
import { note, printObject } from "../output";
import { Session } from "../session";
import { duration, speed } from "../views/format";
import { serverFields, serverSections } from "../views/serverViews";

const pollMs = 1_000;

interface Figures {
  percent: number;
  speed: string;
  eta: string;
}

/** Seeding progress, upload speed and the time left at that speed. */
function figures(server: ReplicatingServer): Figures {
  const included = server.disks.filter((d) => d.include);
  const perSecond = server.agentFigures?.bytesPerSecond ?? included.reduce((sum, d) => sum + d.uploadBytesPerSecond, 0);
  const left = included.reduce((sum, d) => sum + Math.max(0, d.sizeBytes - d.bytesReplicated), 0);
  const seeding = server.migrationState === "InitialSeedingInProgress";
  return {
    percent: server.initialSeedingProgress,
    speed: perSecond > 0 ? speed(perSecond) : "-",
    eta: seeding && perSecond > 0 ? duration(left / perSecond) : "-",
  };
}

/** The lines worth a reader's attention: state, test state and health changes, each health error once. */
function changes(before: ReplicatingServer | undefined, now: ReplicatingServer): string[] {
  const lines: string[] = [];
  const state = (s: ReplicatingServer) =>
    `${s.migrationState}${s.testMigrateState === "None" ? "" : ` / ${s.testMigrateState}`}`;
  if (!before || state(before) !== state(now)) lines.push(`${now.machineName}: ${state(now)}`);
  if (!before || before.health !== now.health) lines.push(`${now.machineName}: health ${now.health}`);
  for (const error of now.healthErrors) {
    if (before?.healthErrors.some((e) => e.code === error.code)) continue;
    lines.push(`  ${error.severity} ${error.code}: ${error.message} → ${error.recommendedAction}`);
  }
  return lines;
}

interface WatchDisplay {
  update(server: ReplicatingServer): void;
  stop(): void;
}

function lineDisplay(): WatchDisplay {
  let last: ReplicatingServer | undefined;
  let lastPercent = -1;
  return {
    update(server) {
      changes(last, server).forEach(note);
      const f = figures(server);
      if (server.migrationState === "InitialSeedingInProgress" && f.percent !== lastPercent) {
        note(`  seeded ${f.percent}% at ${f.speed}, ETA ${f.eta}`);
        lastPercent = f.percent;
      }
      last = server;
    },
    stop() {},
  };
}

async function barDisplay(): Promise<WatchDisplay> {
  const { MultiBar, Presets } = await import("cli-progress");
  const bars = new MultiBar(
    { format: " {bar} {percentage}% seeded | {speed} | ETA {eta} | {state}", hideCursor: true, stream: process.stderr },
    Presets.shades_classic,
  );
  const bar = bars.create(100, 0, { speed: "-", eta: "-", state: "" });
  let last: ReplicatingServer | undefined;
  return {
    update(server) {
      for (const line of changes(last, server)) bars.log(`${line}\n`);
      const f = figures(server);
      bar.update(f.percent, { speed: f.speed, eta: f.eta, state: `${server.migrationState} · ${server.health}` });
      last = server;
    },
    stop: () => bars.stop(),
  };
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

/** Follows a server until --until's state (or Ctrl-C), then prints it as it is. */
export async function watch({ args, options }: Invocation<{ until?: string }>): Promise<void> {
  const session = new Session(options);
  const project = await session.project();
  let server = await resolveServer(project, args[0]);
  const display = !session.json && process.stderr.isTTY ? await barDisplay() : lineDisplay();
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once("SIGINT", onInterrupt);
  const reached = (s: ReplicatingServer) => s.migrationState === options.until || s.testMigrateState === options.until;
  try {
    display.update(server);
    while (!stop.signal.aborted && !reached(server)) {
      await pause(pollMs, stop.signal);
      if (stop.signal.aborted) break;
      server = await project.call(routes.getReplicatingServer, { params: { itemId: server.id } });
      display.update(server);
    }
  } finally {
    process.off("SIGINT", onInterrupt);
    display.stop();
  }
  await printObject(session, server, serverFields, serverSections);
}
