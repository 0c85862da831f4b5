// Names of institutions for their 10-digit codes: those the gateway vouched for in the access log (from the
// reader's own token), then the institution master; otherwise the code itself, said plainly.
import master from './institution-master.json';
import type { Access } from './accessLog';

export type Directory = (code: string | undefined) => string | undefined;

export function directory(accesses: Access[]): Directory {
  const names = new Map<string, string>(Object.entries(master).filter(([code]) => /^[0-9]{10}$/.test(code)));
  for (const access of accesses) {
    if (access.who.kind === 'institution' && access.who.code && access.who.name) {
      names.set(access.who.code, access.who.name);
    }
  }
  return code => (code ? names.get(code) : undefined);
}
