import { describe, expect, it } from 'vitest';
import { ACTIONS, decide } from '../src/index.js';

describe('modes without managed identity', () => {
  it.each(ACTIONS)('the local user and the shared-key holder may %s anywhere', (action) => {
    for (const kind of ['local', 'shared-api-key'] as const) {
      expect(decide({ kind }, action, { database: 'other', tenant: 'other' })).toEqual({
        allowed: true,
      });
    }
  });
});
