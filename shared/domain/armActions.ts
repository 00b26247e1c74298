/**
 * Azure role-based access control, as Resource Manager evaluates actions: a permission grants
 * what its `actions` match minus what its `notActions` match, patterns may hold `*` wildcards,
 * and matching ignores case. A caller holds the union of its permissions.
 */
export interface ArmPermission {
  actions: readonly string[];
  notActions?: readonly string[];
}

function pattern(text: string): RegExp {
  const escaped = text.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, "i");
}

function matchesAny(action: string, patterns: readonly string[] | undefined): boolean {
  return (patterns ?? []).some((candidate) => pattern(candidate).test(action));
}

export function grants(permission: ArmPermission, action: string): boolean {
  return matchesAny(action, permission.actions) && !matchesAny(action, permission.notActions);
}

/** The actions in `needed` that no permission grants, in the order asked. */
export function missingActions(needed: readonly string[], held: readonly ArmPermission[]): string[] {
  return needed.filter((action) => !held.some((permission) => grants(permission, action)));
}
