import type { Decision } from './types.js';

export const ALLOW: Decision = Object.freeze({ allowed: true });

export function deny(reason: string): Decision {
  return Object.freeze({ allowed: false, reason });
}

/** "[a, b]" for reasons that list a set of the caller's own names. */
export function listed(names: Iterable<string>): string {
  const all = [...names];
  return all.length === 0 ? 'none' : all.join(', ');
}
