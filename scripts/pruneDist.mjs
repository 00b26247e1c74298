// Removes compiled files whose TypeScript source is gone: tsc never deletes outputs, and a stale
// `dist/x.js` shadows a module moved to `dist/x/index.js`.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const compiled = /\.js(\.map)?$/;

function prune(root, dist, dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(root, dist, full);
      if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
      continue;
    }
    if (!compiled.test(entry.name)) continue;
    const source = path.join(root, path.relative(dist, full)).replace(compiled, ".ts");
    if (!fs.existsSync(source)) fs.rmSync(full);
  }
}

/** Prunes `root/dist/<folder>` for each folder tsc compiles; anything else under dist is left alone. */
export function pruneStaleOutputs(root, folders) {
  const dist = path.join(root, "dist");
  for (const folder of folders) {
    const out = path.join(dist, folder);
    if (fs.existsSync(out)) prune(root, dist, out);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(import.meta.dirname, "..");
  const { include } = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8"));
  pruneStaleOutputs(root, include);
}
