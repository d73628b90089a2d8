/**
 * `npm run profile:schema`: writes targets/profile.schema.json from the profile's zod schema
 * (targets/profile.ts). A unit test fails when the shipped file and the schema disagree.
 */
import { writeFileSync } from 'node:fs';
import { profileJsonSchema } from '../targets/profile.ts';

export const PROFILE_SCHEMA_FILE = 'targets/profile.schema.json';

export function renderProfileSchema(): string {
  return `${JSON.stringify(profileJsonSchema(), null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  writeFileSync(PROFILE_SCHEMA_FILE, renderProfileSchema());
  process.stdout.write(`wrote ${PROFILE_SCHEMA_FILE}\n`);
}
