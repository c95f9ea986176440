import { describe, expect, it } from 'vitest';
import { LogicError } from '../errors.js';
import { Interner } from './interner.js';

describe('Interner', () => {
  it('keeps strings, numbers and booleans apart and equates 1 with 1.0 and -0 with 0', () => {
    const interner = new Interner();
    expect(interner.intern('1')).not.toBe(interner.intern(1));
    expect(interner.intern(1)).toBe(interner.intern(1.0));
    expect(interner.intern(-0)).toBe(interner.intern(0));
    expect(interner.intern(true)).toBe(1);
    expect(interner.intern('true')).not.toBe(1);
    expect(interner.value(interner.intern(-0))).toBe(0);
    expect(() => interner.intern(Number.NaN)).toThrow(LogicError);
  });

  it('gives a query temporary ids for new constants without growing the shared table', () => {
    const interner = new Interner();
    const known = interner.intern('alice');
    const size = interner.size;
    const scoped = interner.scoped();
    expect(scoped.intern('alice')).toBe(known);
    const fresh = scoped.intern('zed');
    expect(fresh).toBeGreaterThanOrEqual(size);
    expect(scoped.intern('zed')).toBe(fresh);
    expect(scoped.intern(7)).not.toBe(fresh);
    expect(scoped.value(fresh)).toBe('zed');
    expect(scoped.find('zed')).toBe(fresh);
    expect(interner.size).toBe(size);
    expect(interner.find('zed')).toBe(-1);
  });
});
