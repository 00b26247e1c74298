/**
 * The fault proxy's rules: which requests a rule acts on (a method, a path pattern, the Nth
 * match on), what it does to them, and what each request was.
 */

export interface SeenRequest {
  method: string;
  /** Path and query, percent-decoded. */
  path: string;
  at: number;
  /** The server's status, once it answered through the proxy. */
  status?: number;
}

export type FaultAction =
  /** Answered by the proxy; the server never sees the request. */
  | { kind: "answer"; status: number; headers?: Record<string, string>; body?: string }
  /** Never forwarded, never answered: the client waits until it gives up or dies. */
  | { kind: "stall" }
  /** Forwarded and acted on; the answer is thrown away and the connection reset. */
  | { kind: "loseResponse" }
  /** Forwarded; the answer reaches the client `ms` later. */
  | { kind: "delayResponse"; ms: number }
  /** Forwarded as usual: the rule only counts, or runs its hook. */
  | { kind: "pass" }
  /** Only the body's first `bytes` reach the server, then both connections drop (the sender died there). */
  | { kind: "cutBody"; bytes: number };

export interface FaultRule {
  method?: string | RegExp;
  path: RegExp;
  /** The first match the rule acts on, counting from 1 (default 1). */
  from?: number;
  /** How many matches it acts on from there (default 1; Infinity for all). */
  times?: number;
  action: FaultAction;
  /**
   * Runs when the rule acts: before forwarding for answer, stall and pass; after the server
   * answered for loseResponse and delayResponse; once the body's first bytes went through for cutBody.
   */
  onFire?: (request: SeenRequest) => void | Promise<void>;
}

export interface ArmedRule {
  /** Resolves with the request the rule first acted on. */
  readonly fired: Promise<SeenRequest>;
  /** Matches seen so far, acted on or not. */
  readonly matches: number;
  remove(): void;
}

interface Armed extends FaultRule {
  matches: number;
  acted: number;
  resolve: (request: SeenRequest) => void;
}

/** The armed rules of one proxy; the first that matches a request and still acts takes it. */
export class RuleBook {
  private readonly rules: Armed[] = [];

  add(rule: FaultRule): ArmedRule {
    let resolve!: (request: SeenRequest) => void;
    const fired = new Promise<SeenRequest>((r) => (resolve = r));
    const armed: Armed = { ...rule, matches: 0, acted: 0, resolve };
    this.rules.push(armed);
    return {
      fired,
      get matches() {
        return armed.matches;
      },
      remove: () => {
        const at = this.rules.indexOf(armed);
        if (at >= 0) this.rules.splice(at, 1);
      },
    };
  }

  /** The rule acting on this request, if any, and how to tell its hook and waiters it fired. */
  take(seen: SeenRequest): { rule: FaultRule; fire: () => void } | undefined {
    for (const rule of this.rules) {
      if (!matchesMethod(rule.method, seen.method) || !rule.path.test(seen.path)) continue;
      rule.matches += 1;
      if (rule.matches >= (rule.from ?? 1) && rule.acted < (rule.times ?? 1)) {
        rule.acted += 1;
        return { rule, fire: () => void Promise.resolve(rule.onFire?.(seen)).finally(() => rule.resolve(seen)) };
      }
    }
    return undefined;
  }
}

export function matchesMethod(rule: string | RegExp | undefined, method: string): boolean {
  if (rule === undefined) return true;
  return typeof rule === "string" ? rule.toUpperCase() === method.toUpperCase() : rule.test(method);
}

export function decodedPath(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}
