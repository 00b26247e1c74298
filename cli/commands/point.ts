import type { Command } from "commander";
import { examples, lazy } from "../commandKit";

const load = () => import("../actions/point.js");

export function pointCommands(program: Command): void {
  const point = examples(
    program.command("point").description("Recovery points of a replicating server"),
    "ferry point list web01",
  );
  examples(
    point
      .command("list")
      .description("List a server's recovery points, newest first")
      .argument("<server>", "host name, VM name or id")
      .action(lazy(load, (m) => m.list)),
    "ferry point list web01",
  );
  examples(
    point
      .command("verify")
      .description("Compute each disk's SHA-256 at a recovery point (default: the newest)")
      .argument("<server>", "host name, VM name or id")
      .argument("[point]", "a recovery point id, or latest")
      .option("--no-wait", "print the job and return at once")
      .action(lazy(load, (m) => m.verify)),
    "ferry point verify web01",
  );
}
