/** What a sign-in's last page says when it failed, as the pages read it and the evidence keeps it. */
/** What the app's error page (or a native client's) said at the end of a failed sign-in. */
export interface AuthErrorDetails {
  errorCode: string | undefined;
  requestId: string | undefined;
  message: string;
  diagnostics: Record<string, unknown> | undefined;
}
