// Threat: an id that closes a quoted OData literal and widens a table query (`x' or PartitionKey ne '`).
// Ferry reads tables by partition and row key; where a filter is needed it must be built with the SDK's
// `odata` tag, which escapes every value. This holds every filter the app and its host write to that.
import fs from "node:fs";
import path from "node:path";
import { odata } from "@azure/data-tables";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/hostProcess";

const folders = ["shared", "functions", "devhost", "local"];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/**
 * Every comparison against an interpolated value (`Key eq ${v}`), with the tag of the template that holds
 * it, and every comparison against a hand-quoted literal (`eq '`), which no tagged filter ever writes.
 */
function filterTexts(text: string): { tag: string; literal: string }[] {
  const found: { tag: string; literal: string }[] = [];
  for (const m of text.matchAll(/\b\w+ (?:eq|ne|gt|ge|lt|le) \$\{[^}]*\}/g)) {
    const opening = text.lastIndexOf("`", m.index);
    found.push({ tag: /(\w*)$/.exec(text.slice(0, opening))?.[1] ?? "", literal: m[0] });
  }
  for (const m of text.matchAll(/\b(?:eq|ne|gt|ge|lt|le) '/g))
    found.push({ tag: "", literal: text.slice(m.index).split("\n")[0] });
  return found;
}

describe("table filters", () => {
  it("are all built with the odata tag: no value is pasted into a filter by hand", () => {
    const untagged = folders
      .flatMap((folder) => sources(path.join(repoRoot, folder)))
      .flatMap((file) =>
        filterTexts(fs.readFileSync(file, "utf8"))
          .filter((f) => f.tag !== "odata")
          .map((f) => `${path.relative(repoRoot, file)}: ${f.tag}\`${f.literal}\``),
      );
    expect(untagged).toEqual([]);
  });

  it("finds the filters it holds to that, so it cannot pass by finding none", () => {
    const all = folders
      .flatMap((folder) => sources(path.join(repoRoot, folder)))
      .flatMap((file) => filterTexts(fs.readFileSync(file, "utf8")));
    expect(all.length).toBeGreaterThanOrEqual(8);
    expect(filterTexts('const f = `(${ids.map((s) => odata`RowKey eq ${s}`).join(" or ")})`;')).toEqual([
      { tag: "odata", literal: "RowKey eq ${s}" },
    ]);
    expect(filterTexts('const f = `PartitionKey eq ${id}`; const g = "RowKey eq \'" + id;')).toEqual([
      { tag: "", literal: "PartitionKey eq ${id}" },
      { tag: "", literal: "eq '\" + id;" },
    ]);
  });

  it("escape a quote in a value so it stays inside its literal", () => {
    expect(odata`PartitionKey eq ${"x' or PartitionKey ne '"}`).toBe("PartitionKey eq 'x'' or PartitionKey ne '''");
  });
});
