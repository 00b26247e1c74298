import fs from "node:fs";
import path from "node:path";

/** Turns a glob (`*`, `**`, `?`, `{a,b}`) into an anchored regular expression over `/` paths. */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      const slash = glob[i + 2] === "/";
      out += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "{") {
      const end = glob.indexOf("}", i);
      out += `(?:${glob
        .slice(i + 1, end)
        .split(",")
        .map(escape)
        .join("|")})`;
      i = end;
    } else out += escape(c);
  }
  return new RegExp(`^${out}$`);
}

function escape(text: string): string {
  return text.replace(/[.+^$()|[\]\\]/g, "\\$&");
}

/** Files under `root` (node_modules excluded) whose relative path matches `glob`, sorted. */
export function findFiles(root: string, glob: string): string[] {
  const pattern = globToRegExp(glob.replace(/^\.\//, ""));
  const found: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), relPath);
      else if (pattern.test(relPath)) found.push(path.join(root, relPath));
    }
  };
  walk(root, "");
  return found.sort();
}
