// Types for the parts of allurerc.mjs the project's tests read.
export declare const CATEGORY_LABEL: string;
export declare const CAUSE_LABEL: string;
export declare const categoryRules: {
  name: string;
  matchers: { statuses?: string[]; labels?: Record<string, RegExp>; flaky?: boolean };
  groupBy?: { label: string }[];
}[];
declare const config: unknown;
export default config;
