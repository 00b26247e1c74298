/** The Node binary the package ships: its version and platform, asked of the binary itself, and its licence. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface NodeRuntime {
  binary: string;
  version: string;
  /** `linux-x64` and the like: the binary's `process.platform-process.arch`. */
  platform: string;
  license?: string;
}

export function describeNode(binary: string): NodeRuntime {
  const real = fs.realpathSync(binary);
  const answer = execFileSync(real, ["-p", 'process.version + " " + process.platform + "-" + process.arch'], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "" },
  }).trim();
  const [version, platform] = answer.split(" ");
  if (!version || !platform) throw new Error(`${binary} is not a Node binary: it answered "${answer}".`);
  // An official build keeps LICENSE beside bin/; distribution packages keep it with their docs.
  const license = [path.resolve(path.dirname(real), "../LICENSE"), "/usr/share/doc/nodejs/LICENSE"].find((file) =>
    fs.existsSync(file),
  );
  return { binary: real, version, platform, ...(license ? { license } : {}) };
}
