/**
 * oidc-provider 9 warns at import time that Node 20 is not a supported runtime; it runs correctly
 * on Node 20, and the warning would show up in every suite run. This drops that one line only.
 * Imported first by the lab's entry point, so it is in place before oidc-provider loads.
 */
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]): void => {
  if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: Unsupported runtime')) return;
  warn(...args);
};
