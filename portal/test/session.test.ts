import { describe, expect, it } from 'vitest';
import { expiresSoon } from '../src/tokens';

const jwt = (claims: object) => `e30.${btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.sig`;

describe('a token is refreshed before an action when it is about to lapse', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');
  it('a token expiring within 20 s is refreshed first', () => {
    expect(expiresSoon(jwt({ exp: now / 1000 + 10 }), now)).toBe(true);
    expect(expiresSoon(jwt({ exp: now / 1000 - 5 }), now)).toBe(true);
  });
  it('a token with time left is used as it is', () => {
    expect(expiresSoon(jwt({ exp: now / 1000 + 120 }), now)).toBe(false);
  });
  it('no token, or one that is not a JWT, is left to the gateway to judge', () => {
    expect(expiresSoon(undefined, now)).toBe(false);
    expect(expiresSoon('opaque', now)).toBe(false);
  });
});
