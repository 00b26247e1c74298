import { describe, expect, it } from "vitest";
import { compareRank, compileRoute, matchRoute } from "../../devhost/http/routeTemplate";

const match = (template: string, path: string) => matchRoute(compileRoute(template), path.split("/").filter(Boolean));

describe("route templates", () => {
  it("binds {param} segments and matches literals case-insensitively", () => {
    expect(match("Users/{id}/Orders", "users/7/orders")).toEqual({ id: "7" });
    expect(match("users/{id}", "users/7/extra")).toBeUndefined();
    expect(match("users/{id}", "users")).toBeUndefined();
  });

  it("leaves out an optional parameter and fills a default one", () => {
    expect(match("hello/{name?}", "hello")).toEqual({});
    expect(match("hello/{name?}", "hello/ada")).toEqual({ name: "ada" });
    expect(match("page/{n=1}", "page")).toEqual({ n: "1" });
  });

  it("gives a catch-all the rest of the path", () => {
    expect(match("files/{*path}", "files/a/b/c")).toEqual({ path: "a/b/c" });
    expect(match("files/{*path}", "files")).toEqual({});
  });

  it("applies constraints", () => {
    expect(match("n/{v:int}", "n/-12")).toEqual({ v: "-12" });
    expect(match("n/{v:int}", "n/1.5")).toBeUndefined();
    expect(match("n/{v:int}", "n/99999999999")).toBeUndefined();
    expect(match("n/{v:long}", "n/99999999999")).toEqual({ v: "99999999999" });
    expect(match("n/{v:alpha}", "n/abc1")).toBeUndefined();
    expect(match("n/{v:bool}", "n/TRUE")).toEqual({ v: "TRUE" });
    expect(match("n/{v:guid}", "n/0f8fad5b-d9cb-469f-a165-70867728950e")).toBeDefined();
    expect(match("n/{v:int:min(10)}", "n/9")).toBeUndefined();
    expect(match("n/{v:range(1,5)}", "n/5")).toEqual({ v: "5" });
    expect(match("n/{v:length(2,3)}", "n/abcd")).toBeUndefined();
    expect(match("n/{v:regex(^[a-c]+$)}", "n/cab")).toEqual({ v: "cab" });
  });

  it("ranks literal before constrained before plain before optional before catch-all", () => {
    const templates = ["items/{*rest}", "items/{name?}", "items/{name}", "items/{id:int}", "items/latest"];
    const sorted = templates
      .map(compileRoute)
      .sort(compareRank)
      .map((r) => r.template);
    expect(sorted).toEqual(["items/latest", "items/{id:int}", "items/{name}", "items/{name?}", "items/{*rest}"]);
  });

  it("refuses unknown constraints and malformed segments, naming the route", () => {
    expect(() => compileRoute("a/{v:prime}")).toThrow(/Route "a\/\{v:prime\}": unknown constraint "prime"/);
    expect(() => compileRoute("a/{v")).toThrow(/cannot parse segment/);
  });
});
