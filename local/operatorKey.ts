import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** FERRY_OPERATOR_KEY when set, else the key kept under the data folder, else a new one kept there. */
export function operatorKey(env: NodeJS.ProcessEnv, dataDir: string): string {
  if (env.FERRY_OPERATOR_KEY) return env.FERRY_OPERATOR_KEY;
  const file = path.join(dataDir, "operator-key");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const key = randomBytes(32).toString("base64url");
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
