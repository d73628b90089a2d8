/**
 * What `npm run report` does to Allure's output and history beyond generating: the run's one line
 * in the history, and a page that calls no one.
 */
import { createHash } from 'node:crypto';

/** Allure's id of a result: the md5 of its uuid (@allurereport/core, store/convert.ts). */
export function allureResultId(uuid: string): string {
  return createHash('md5').update(uuid).digest('hex');
}

/**
 * The history (allure-history/history.jsonl) without the lines an earlier report of these same
 * results left: a report generated again (after triage, or twice) stands for the same run, so the
 * run keeps one line and its duration and trends stay its own.
 */
export function historyWithoutRun(history: string, resultIds: ReadonlySet<string>): string {
  const kept = history.split('\n').filter((line) => {
    if (!line.trim()) return false;
    try {
      const point = JSON.parse(line) as { testResults?: Record<string, { id?: string }> };
      const ids = Object.values(point.testResults ?? {}).map((result) => result.id);
      return !(ids.length > 0 && ids.every((id) => id !== undefined && resultIds.has(id)));
    } catch {
      return true;
    }
  });
  return kept.length ? `${kept.join('\n')}\n` : '';
}

/**
 * The page without Allure's analytics: the awesome plugin's template loads Google's tag manager
 * whenever it renders (`analyticsEnable: true` is hard-wired in @allurereport/plugin-awesome's
 * generators, with no option to turn it off), so a report opened anywhere would call out.
 */
export function withoutAnalytics(html: string): string {
  return html
    .replace(/<script\b[^>]*\bsrc="https:\/\/www\.googletagmanager\.com\/[^"]*"[^>]*>\s*<\/script>/g, '')
    .replace(/<script>(?:(?!<\/script>)[\s\S])*?\bgtag\((?:(?!<\/script>)[\s\S])*<\/script>/g, '');
}
