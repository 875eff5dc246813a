import { describe, expect, it } from 'vitest';
import { keepUnchanged } from '../../../src/shared/keep-unchanged.js';

describe('keepUnchanged', () => {
  it('gives back the earlier object while the data is the same, and the new one once it changes', () => {
    const same = keepUnchanged<{ wards: string[] }>();
    const first = { wards: ['erdington', 'kingstanding'] };
    expect(same(first)).toBe(first);
    expect(same({ wards: ['erdington', 'kingstanding'] })).toBe(first);
    const changed = { wards: ['erdington'] };
    expect(same(changed)).toBe(changed);
    expect(same({ wards: ['erdington'] })).toBe(changed);
  });
});
