/**
 * The accessible names the page objects look for. The lab's UI uses these; a deployment whose
 * screens say something else supplies its own set.
 */
export interface UiLabels {
  startLogin: string | RegExp;
  emailField: string | RegExp;
  passwordField: string | RegExp;
  codeField: string | RegExp;
  submit: string | RegExp;
  signedInHeading: string | RegExp;
  accountEmail: string | RegExp;
  plan: string | RegExp;
  errorHeading: string | RegExp;
  diagnostics: string | RegExp;
}

export const LAB_LABELS: UiLabels = {
  startLogin: 'Log in',
  emailField: 'Email address',
  passwordField: 'Password',
  codeField: 'Verification code',
  submit: 'Continue',
  signedInHeading: "You're signed in",
  accountEmail: 'Account email',
  plan: 'Plan',
  errorHeading: /could not sign you in|could not be matched|was not completed/i,
  diagnostics: 'Diagnostics',
};
