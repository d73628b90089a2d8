// Types for the parts of allurerc.mjs the project's tests read.
export declare const categoryRules: { name: string; matchers: { statuses?: string[]; message?: RegExp; flaky?: boolean } }[];
declare const config: unknown;
export default config;
