/** Scans a run's artifacts and output for secrets: named canaries, TOTP codes, tokens, secret parameters. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const ARTIFACT_DIRS = ['allure-results', 'test-results', 'reports', 'playwright-report', 'blob-report'];

export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => path.join(dir, entry))
    .filter((file) => statSync(file).isFile());
}

export function leaks(text: string, canaries: readonly string[], codes: readonly string[] = []): string[] {
  const found = canaries.filter((canary) => text.includes(canary));
  for (const code of codes) if (new RegExp(`(^|\\D)${code}(\\D|$)`).test(text)) found.push(`TOTP code ${code}`);
  if (/eyJ[\w-]{8,}\.eyJ[\w-]{8,}/.test(text)) found.push('a JWT');
  if (/code_verifier=(?!\[redacted\])[\w-]{20,}/.test(text)) found.push('a PKCE verifier');
  if (/[?&]code=(?!\[redacted\])[\w-]{20,}/.test(text)) found.push('an authorization code');
  if (/_session(\.sig)?=(?!\[redacted\])[\w-]{10,}/.test(text)) found.push('a session cookie');
  return found;
}

/** Every leak in the artifact folders and in the given console outputs, named by where it was found. */
export function scanRun(
  outputs: readonly string[],
  canaries: readonly string[],
  codes: readonly string[] = [],
): { findings: string[]; files: string[] } {
  const findings: string[] = [];
  for (const [index, output] of outputs.entries())
    for (const leak of leaks(output, canaries, codes)) findings.push(`run ${index + 1} output: ${leak}`);
  const files = ARTIFACT_DIRS.flatMap(filesUnder);
  for (const file of files) for (const leak of leaks(readFileSync(file, 'latin1'), canaries, codes)) findings.push(`${file}: ${leak}`);
  return { findings, files };
}
