/**
 * Names on loopback. `localhost` and every name under it (`login.microsoft.localhost`) are loopback
 * addresses (RFC 6761 §6.3): browsers resolve them so by themselves, and the lab's proxies and its
 * broker do the same, so that each upstream provider has a site of its own on one machine without
 * touching /etc/hosts.
 */
import { lookup as systemLookup, type LookupAddress, type LookupOptions } from 'node:dns';

export function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function lookupLoopback(hostname: string, options: LookupOptions | number | LookupCallback, callback?: LookupCallback): void {
  const done = (typeof options === 'function' ? options : callback) as LookupCallback;
  const opts: LookupOptions = typeof options === 'object' ? options : typeof options === 'number' ? { family: options } : {};
  if (!isLoopbackName(hostname)) {
    systemLookup(hostname, { ...opts, all: true }, (error, addresses) => {
      if (error || opts.all) done(error, addresses);
      else done(null, addresses[0]?.address ?? '', addresses[0]?.family);
    });
    return;
  }
  if (opts.all) done(null, [{ address: '127.0.0.1', family: 4 }]);
  else done(null, '127.0.0.1', 4);
}

/** `dns.lookup` that answers 127.0.0.1 for a loopback name and asks the system for any other. */
export const loopbackLookup = lookupLoopback as unknown as typeof systemLookup;
