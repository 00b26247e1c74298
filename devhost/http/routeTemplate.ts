/**
 * Functions route templates: literal segments, `{name}`, `{name?}`, `{name=default}`,
 * `{name:constraint}` (int, long, double, bool, alpha, guid, min/max/range,
 * minlength/maxlength/length, regex(...)) and a final catch-all `{*name}`.
 */
export interface Segment {
  literal?: string;
  param?: string;
  optional: boolean;
  catchAll: boolean;
  fallback?: string;
  constraints: ((value: string) => boolean)[];
}

export interface RouteTemplate {
  template: string;
  segments: Segment[];
  /** Sort key: literal segments win over constrained parameters, which win over plain ones. */
  rank: number[];
}

const constraintFactories: Record<string, (arg: string) => (v: string) => boolean> = {
  int: () => (v) => /^-?\d+$/.test(v) && Math.abs(Number(v)) <= 2 ** 31,
  long: () => (v) => /^-?\d+$/.test(v),
  double: () => (v) => v.trim() !== "" && Number.isFinite(Number(v)),
  float: () => (v) => v.trim() !== "" && Number.isFinite(Number(v)),
  bool: () => (v) => /^(true|false)$/i.test(v),
  alpha: () => (v) => /^[a-z]+$/i.test(v),
  guid: () => (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  min: (a) => (v) => Number(v) >= Number(a),
  max: (a) => (v) => Number(v) <= Number(a),
  range: (a) => {
    const [lo, hi] = a.split(",").map(Number);
    return (v) => Number(v) >= lo && Number(v) <= hi;
  },
  minlength: (a) => (v) => v.length >= Number(a),
  maxlength: (a) => (v) => v.length <= Number(a),
  length: (a) => {
    const [lo, hi] = a.split(",").map(Number);
    return (v) => (hi === undefined ? v.length === lo : v.length >= lo && v.length <= hi);
  },
  regex: (a) => {
    const re = new RegExp(a, "i");
    return (v) => re.test(v);
  },
};

function parseConstraints(text: string, template: string): ((v: string) => boolean)[] {
  const parts = text.match(/[a-z]+(\((?:[^()]|\([^()]*\))*\))?/gi) ?? [];
  return parts.map((part) => {
    const open = part.indexOf("(");
    const name = (open < 0 ? part : part.slice(0, open)).toLowerCase();
    const arg = open < 0 ? "" : part.slice(open + 1, -1);
    const factory = constraintFactories[name];
    if (!factory) throw new Error(`Route "${template}": unknown constraint "${name}".`);
    return factory(arg);
  });
}

function parseSegment(text: string, template: string): Segment {
  const m = /^\{(\*)?([A-Za-z_][\w]*)(?::([^}=?]+))?(\?)?(?:=([^}]*))?\}$/.exec(text);
  if (!m) {
    if (/[{}]/.test(text)) throw new Error(`Route "${template}": cannot parse segment "${text}".`);
    return { literal: text.toLowerCase(), optional: false, catchAll: false, constraints: [] };
  }
  const [, star, name, constraints, question, fallback] = m;
  return {
    param: name,
    catchAll: star === "*",
    optional: question === "?" || fallback !== undefined || star === "*",
    fallback,
    constraints: constraints ? parseConstraints(constraints, template) : [],
  };
}

export function compileRoute(template: string): RouteTemplate {
  const clean = template.replace(/^\/+|\/+$/g, "");
  const segments = clean === "" ? [] : clean.split("/").map((s) => parseSegment(s, template));
  const rank = segments.map((s) =>
    s.literal !== undefined ? 0 : s.catchAll ? 4 : s.optional ? 3 : s.constraints.length ? 1 : 2,
  );
  return { template: clean, segments, rank };
}

/** The route values if `pathSegments` (already URL-decoded) match, else undefined. */
export function matchRoute(route: RouteTemplate, pathSegments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i];
    if (seg.catchAll) {
      const rest = pathSegments.slice(i).join("/");
      if (rest) params[seg.param as string] = rest;
      return params;
    }
    const value = pathSegments[i];
    if (value === undefined) {
      if (!seg.optional) return undefined;
      if (seg.fallback !== undefined) params[seg.param as string] = seg.fallback;
      continue;
    }
    if (seg.literal !== undefined) {
      if (value.toLowerCase() !== seg.literal) return undefined;
    } else {
      if (!seg.constraints.every((ok) => ok(value))) return undefined;
      params[seg.param as string] = value;
    }
  }
  return pathSegments.length <= route.segments.length ? params : undefined;
}

export function compareRank(a: RouteTemplate, b: RouteTemplate): number {
  for (let i = 0; i < Math.max(a.rank.length, b.rank.length); i++) {
    const d = (a.rank[i] ?? -1) - (b.rank[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
