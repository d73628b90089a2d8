/**
 * `npm run gate`: exits non-zero when the last run (or merged runs) holds any token_exchange_failed,
 * red or intermittent, or ran no matrix cell at all, so a CI job fails on it. Reads
 * reports/matrix-summary.json.
 */
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'reports/matrix-summary.json';
if (!existsSync(file)) {
  process.stderr.write(`gate: ${file} does not exist; run the suite (npx playwright test) or merge the shards first\n`);
  process.exit(2);
}
interface Cell {
  title: string;
  status: string;
  classification?: { category: string; cause?: string };
  earlierFailures?: { category: string; cause?: string }[];
}
const summary = JSON.parse(readFileSync(file, 'utf8')) as { cells: Cell[]; others: Cell[] };
const ran = summary.cells.filter((cell) => cell.status !== 'skipped').length;
if (ran === 0) {
  process.stderr.write(
    `gate: no matrix cell ran in ${file} (${summary.cells.length} listed, all skipped or none selected): a run that tested nothing passes no gate\n`,
  );
  process.exit(1);
}
const hits = [...summary.cells, ...summary.others].filter(
  (cell) =>
    (cell.status === 'failed' && cell.classification?.category === 'token_exchange_failed') ||
    (cell.status === 'intermittent' && cell.earlierFailures?.some((failure) => failure.category === 'token_exchange_failed')),
);
for (const hit of hits) {
  const classification = hit.classification ?? hit.earlierFailures?.[0];
  process.stderr.write(
    `gate: ${hit.status}: ${hit.title}: token_exchange_failed${classification?.cause ? ` (${classification.cause})` : ''}\n`,
  );
}
process.stdout.write(
  `gate: ${hits.length ? `${hits.length} token_exchange_failed` : 'no token_exchange_failed'} in ${ran} cells that ran\n`,
);
process.exit(hits.length ? 1 : 0);
