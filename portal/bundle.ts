// `npm run build` runs this after tsc: the portal (portal/app) bundled by esbuild into
// dist/portal/public — index.html, and hashed bundles under assets/ — and its gzipped size printed.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";

const root = path.resolve(__dirname, "../..");
const publicDir = path.join(root, "dist/portal/public");
const assetsDir = path.join(publicDir, "assets");
/** The budget the portal is held to: every file it serves, gzipped. */
const budgetBytes = 200 * 1024;

function entryOutputs(metafile: Metafile): { script: string; styles: string[] } {
  const outputs = Object.entries(metafile.outputs);
  const entry = outputs.find(([, output]) => output.entryPoint === "portal/app/main.tsx");
  if (entry === undefined) throw new Error("esbuild produced no bundle for portal/app/main.tsx.");
  const styles = entry[1].cssBundle === undefined ? [] : [entry[1].cssBundle];
  return { script: path.basename(entry[0]), styles: styles.map((file) => path.basename(file)) };
}

function indexHtml(script: string, styles: string[], icon: string): string {
  const links = styles.map((file) => `<link rel="stylesheet" href="/assets/${file}">`).join("");
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>Ferry</title><link rel="icon" href="/assets/${icon}" type="image/svg+xml">${links}` +
    `<script type="module" src="/assets/${script}"></script></head>` +
    '<body><div id="app"><p class="loading">Loading Ferry…</p></div></body></html>\n'
  );
}

function gzippedSizes(): { file: string; bytes: number }[] {
  const files = ["index.html", ...readdirSync(assetsDir).map((name) => `assets/${name}`)];
  return files.map((file) => ({
    file,
    bytes: gzipSync(readFileSync(path.join(publicDir, file)), { level: 9 }).length,
  }));
}

/** A static file copied under assets/ with its content hash in its name, as esbuild names bundles. */
function copyHashed(file: string): string {
  const bytes = readFileSync(path.join(root, file));
  const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 8).toUpperCase();
  const name = `${path.basename(file, path.extname(file))}-${hash}${path.extname(file)}`;
  writeFileSync(path.join(assetsDir, name), bytes);
  return name;
}

async function bundlePortal(): Promise<void> {
  rmSync(publicDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ["portal/app/main.tsx"],
    outdir: assetsDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    metafile: true,
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[hash]",
    assetNames: "[name]-[hash]",
    tsconfig: "portal/tsconfig.json",
    logLevel: "warning",
  });
  const { script, styles } = entryOutputs(result.metafile);
  const icon = copyHashed("portal/app/favicon.svg");
  writeFileSync(path.join(publicDir, "index.html"), indexHtml(script, styles, icon));
  const sizes = gzippedSizes();
  const total = sizes.reduce((sum, { bytes }) => sum + bytes, 0);
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(`portal: ${kib(total)} gzipped in ${sizes.length} files (budget ${kib(budgetBytes)})`);
  if (total > budgetBytes) throw new Error(`The portal is ${kib(total)} gzipped, over its ${kib(budgetBytes)} budget.`);
}

bundlePortal().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
