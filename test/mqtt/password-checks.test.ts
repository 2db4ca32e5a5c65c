// Login password checks (src/mqtt/password-checks.ts) with real scrypt hashes.
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import { createPasswordChecks } from '../../src/mqtt/password-checks.js';

const from = (
  address: string,
  stillWanted = (): boolean => true,
): { address: string; stillWanted: () => boolean } => ({
  address,
  stillWanted,
});

describe('createPasswordChecks', () => {
  it('verifies, remembers a verified password, and never remembers a wrong one', async () => {
    const hash = await hashPassword('right-password');
    const c = createPasswordChecks({ concurrency: 1, maxWaiting: 10, maxPerAddress: 10 });
    expect(await c.check('pos-1', hash, 'wrong-password', from('a'))).toBe('wrong');
    expect(await c.check('pos-1', hash, 'right-password', from('a'))).toBe('ok');
    const t0 = performance.now();
    expect(await c.check('pos-1', hash, 'right-password', from('b'))).toBe('ok');
    expect(performance.now() - t0).toBeLessThan(5); // from memory, no scrypt
    expect(await c.check('pos-1', hash, 'wrong-password', from('a'))).toBe('wrong');
    expect(await c.check('nobody', null, 'right-password', from('a'))).toBe('wrong');
  });

  it('refuses beyond the per-address and queue limits, and skips a client that left', async () => {
    const hash = await hashPassword('right-password');
    const c = createPasswordChecks({ concurrency: 1, maxWaiting: 2, maxPerAddress: 2 });
    const a1 = c.check('u', hash, 'x1', from('a'));
    const a2 = c.check('u', hash, 'x2', from('a'));
    expect(await c.check('u', hash, 'x3', from('a'))).toBe('busy');
    const b1 = c.check(
      'u',
      hash,
      'x4',
      from('b', () => false),
    );
    expect(await c.check('u', hash, 'x5', from('c'))).toBe('busy'); // 1 running, 2 waiting
    expect(await Promise.all([a1, a2, b1])).toEqual(['wrong', 'wrong', 'gone']);
  });
});
