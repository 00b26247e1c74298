// docs/reliability.md lists every fault scenario and threat with the command that runs it: every
// it() of tests/faults and tests/security has its row, and each row names a test that exists,
// with a -t pattern that selects that test and no other of its file.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fullName, testTitles, type TestTitle } from "./testTitles";

const root = path.join(__dirname, "../..");
const suites = ["tests/faults", "tests/security"];

interface Row {
  proves: string;
  file: string;
  pattern: string;
}

/** The table's rows that carry a command: `npx vitest run FILE -t "PATTERN"`. */
function tableRows(): Row[] {
  const text = fs.readFileSync(path.join(root, "docs/reliability.md"), "utf8");
  const rows: Row[] = [];
  for (const line of text.split("\n")) {
    const command = /`npx vitest run (tests\/\S+\.test\.ts) -t "([^"]+)"`/.exec(line);
    if (!line.startsWith("|") || !command) continue;
    const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
    const proves = cells[2]!.replace(/\\\|/g, "|").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    rows.push({ proves, file: command[1]!, pattern: command[2]! });
  }
  return rows;
}

function suiteTests(): Map<string, TestTitle[]> {
  const files = new Map<string, TestTitle[]>();
  for (const suite of suites)
    for (const name of fs.readdirSync(path.join(root, suite)).filter((f) => f.endsWith(".test.ts")))
      files.set(`${suite}/${name}`, testTitles(path.join(root, suite, name)));
  return files;
}

describe("docs/reliability.md's table", () => {
  const rows = tableRows();
  const tests = suiteTests();

  it("has a row for every test of the fault and security suites", () => {
    const missing = [...tests].flatMap(([file, titles]) =>
      titles
        .filter((t) => !rows.some((row) => row.file === file && row.proves === t.title))
        .map((t) => `${file}: ${t.title}`),
    );
    expect(missing).toEqual([]);
  });

  it("names in each row a test that exists, and a -t pattern that runs it and no other of its file", () => {
    for (const row of rows) {
      const titles = tests.get(row.file);
      expect(titles, `${row.file} is a test file of the suites`).toBeDefined();
      const test = titles!.find((t) => t.title === row.proves);
      expect(test, `${row.file} has a test "${row.proves}"`).toBeDefined();
      const pattern = new RegExp(row.pattern);
      expect(
        titles!.filter((t) => pattern.test(fullName(t))),
        `-t "${row.pattern}" in ${row.file}`,
      ).toEqual([test]);
    }
  });

  it("lists at least 20 fault scenarios and 25 threats, each once", () => {
    const keys = rows.map((row) => `${row.file} ${row.proves}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(rows.filter((row) => row.file.startsWith("tests/faults/")).length).toBeGreaterThanOrEqual(20);
    expect(rows.filter((row) => row.file.startsWith("tests/security/")).length).toBeGreaterThanOrEqual(25);
  });
});

describe("reading test titles", () => {
  it("finds it, it.each and it.skipIf titles under their describes, and describe.each's too", () => {
    const titles = testTitles(path.join(root, "tests/security/oversizedChunkedBody.test.ts"));
    expect(titles.length).toBeGreaterThan(2);
    expect(titles.every((t) => t.describes[0] === "oversized chunked body ($mode)")).toBe(true);
    const eachTitles = testTitles(path.join(root, "tests/security/projectKeyCreatesProject.test.ts"));
    expect(eachTitles.map((t) => t.title)).toContain("of role %s is refused 403 Forbidden, and no project is made");
    const skipIf = testTitles(path.join(root, "tests/faults/fullAgentDisk.test.ts"));
    expect(skipIf).toHaveLength(3);
  });
});
