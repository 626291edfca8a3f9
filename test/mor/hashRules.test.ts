import { describe, expect, it } from 'vitest';
import { METHODS } from '../../src/mor/registry.ts';

describe('alternative digests', () => {
  it('of a method that moves money hash every parameter of its documented list', () => {
    // An alternative that leaves a hashed parameter out would let anyone who saw one digest change it.
    for (const method of METHODS.filter((m) => m.movesMoney)) {
      for (const alt of method.altHashes ?? []) {
        expect({ method: method.name, missing: (method.hash ?? []).filter((p) => !alt.order.includes(p)) }).toEqual({
          method: method.name,
          missing: [],
        });
      }
    }
  });
});
