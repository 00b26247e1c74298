// `npm run package:agent [-- --out-dir DIR] [--node FILE]`: builds dist/ferry-agent-<version>-linux-x64.tar.gz.
import path from "node:path";
import { parseArgs } from "node:util";
import { buildAgentPackage } from "./agentPackage/buildAgentPackage";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "out-dir": { type: "string" }, node: { type: "string" } } });
  const repoRoot = path.resolve(__dirname, "../..");
  const built = await buildAgentPackage({
    repoRoot,
    outDir: path.resolve(values["out-dir"] ?? path.join(repoRoot, "dist")),
    nodeBinary: path.resolve(values.node ?? process.execPath),
  });
  const mib = (built.bytes / 1024 / 1024).toFixed(1);
  console.log(`${path.relative(process.cwd(), built.file) || built.file} (${mib} MiB)`);
  console.log(`  agent ${built.version}: ${built.modules} modules; ${built.packages.join(", ")}`);
  console.log(`  Node ${built.node.version} from ${built.node.binary}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
