// How long `ferry` takes to start: `ferry --help` (the target is under 0.5 s) and a command that
// loads its code and the client, each the median of several runs, against `node -e 0` in the same run.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Bench } from "../support/bench";
import { report } from "../support/report";

const distRoot = path.resolve(__dirname, "../..");
const ferry = path.join(distRoot, "cli/main.js");
const runs = 11;

function medianMs(args: string[], env: NodeJS.ProcessEnv, expectCode: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { env, stdio: "ignore" });
    times.push(performance.now() - started);
    if (result.status !== expectCode) throw new Error(`${args.join(" ")} exited ${result.status}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

export const cliStartupBench: Bench = {
  name: "cli/startup",
  async run() {
    const config = mkdtempSync(path.join(os.tmpdir(), "ferry-bench-cli-"));
    // No profile: `server list` loads its command, the client and the schemas, then stops at "No server".
    const { FERRY_SERVER: _server, FERRY_OPERATOR_KEY: _key, ...rest } = process.env;
    const env = { ...rest, FERRY_CONFIG_DIR: config };
    try {
      const node = medianMs(["-e", "0"], env, 0);
      const baseline = { name: "node -e 0", value: node };
      report({ name: `node -e 0, median of ${runs}`, value: node, unit: "ms" });
      report({
        name: `ferry --help, median of ${runs} (target < 500 ms)`,
        value: medianMs([ferry, "--help"], env, 0),
        unit: "ms",
        baseline,
      });
      report({
        name: `ferry server list with no profile (command + client + schemas loaded), median of ${runs}`,
        value: medianMs([ferry, "server", "list"], env, 2),
        unit: "ms",
        baseline,
      });
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  },
};
