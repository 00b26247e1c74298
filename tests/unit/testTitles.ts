// The describe/it titles of a test file, read with the TypeScript parser (not run): what a
// document listing tests can be checked against.
import fs from "node:fs";
import ts from "typescript";

export interface TestTitle {
  /** The it's title as written (an it.each title keeps its %s). */
  title: string;
  /** The enclosing describe titles, outermost first. */
  describes: string[];
}

/** `describe`/`it`/`test`, also `.skip`, `.skipIf(x)`, `.each(table)`: the name at the root of the callee. */
function rootName(callee: ts.Expression): string | undefined {
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return rootName(callee.expression);
  if (ts.isCallExpression(callee)) return rootName(callee.expression);
  return undefined;
}

function titleOf(node: ts.CallExpression): string | undefined {
  const first = node.arguments[0];
  return first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) ? first.text : undefined;
}

export function testTitles(file: string): TestTitle[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: TestTitle[] = [];
  const visit = (node: ts.Node, describes: string[]): void => {
    if (ts.isCallExpression(node)) {
      const name = rootName(node.expression);
      const title = titleOf(node);
      if (title !== undefined && (name === "it" || name === "test")) found.push({ title, describes });
      if (title !== undefined && name === "describe") {
        node.arguments.slice(1).forEach((argument) => visit(argument, [...describes, title]));
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, describes));
  };
  visit(source, []);
  return found;
}

/** The name vitest's -t pattern is matched against: the describes and the title, space-separated. */
export const fullName = (test: TestTitle) => [...test.describes, test.title].join(" ");
