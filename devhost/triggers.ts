import { triggerOf } from "./core/invoke";
import type { RegisteredFunction } from "./core/worker";

const supported = new Set(["httptrigger", "timertrigger", "orchestrationtrigger", "activitytrigger"]);
const durableTriggers = new Set(["orchestrationtrigger", "activitytrigger"]);

export function triggerType(fn: RegisteredFunction): string {
  return (triggerOf(fn)[1].type ?? "").toLowerCase();
}

/** Refuses, by name, any function whose trigger this host cannot run (durable entities among them). */
export function checkTriggers(functions: RegisteredFunction[]): void {
  const refused = functions.filter((fn) => !supported.has(triggerType(fn)));
  if (refused.length > 0) {
    const list = refused.map((fn) => `"${fn.metadata.name}" (${triggerOf(fn)[1].type})`).join(", ");
    throw new Error(
      `This host does not support the trigger of ${list}. ` +
        "Supported: HTTP, timer, orchestration and activity triggers; durable entities are not supported.",
    );
  }
}

export function usesDurable(functions: RegisteredFunction[]): boolean {
  return functions.some(
    (fn) =>
      durableTriggers.has(triggerType(fn)) ||
      Object.values(fn.metadata.bindings).some((b) => /^(durableClient|orchestrationClient)$/i.test(b.type ?? "")),
  );
}
