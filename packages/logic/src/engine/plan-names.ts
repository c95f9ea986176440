import type { Rule, Term } from '../language/ast.js';
import type { ValueTable } from './interner.js';
import type { TermRef } from './plan.js';

// Names of the relations a magic-set plan creates, and the term translation every rewrite uses.

export interface RuleEntry {
  readonly id: string;
  readonly rule: Rule;
}

export const adornedName = (key: string, adornment: string): string => `${key}^${adornment}`;
export const magicName = (key: string, adornment: string): string => `magic:${key}^${adornment}`;

/** A constant's interned id, or the slot of a variable (allocated on first use). */
export function termRef(term: Term, slots: Map<string, number>, interner: ValueTable): TermRef {
  if (term.kind === 'const') return { id: interner.intern(term.value) };
  let slot = slots.get(term.name);
  if (slot === undefined) {
    slot = slots.size;
    slots.set(term.name, slot);
  }
  return { slot };
}
