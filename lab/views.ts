/** Server-rendered pages of the identity provider's own interaction UI. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;color:#1b1b1f}
label{display:block;margin:1rem 0 .25rem}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
button{margin-top:1rem;padding:.6rem 1.2rem;font-size:1rem}[role=alert]{color:#a00;margin-top:1rem}`;

export function renderPage({ title, body }: { title: string; body: string }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export interface FieldSpec {
  name: string;
  label: string;
  type: 'email' | 'password' | 'text';
  autocomplete: string;
  inputmode?: 'numeric';
}

export function renderStep(options: {
  title: string;
  heading: string;
  intro?: string;
  action: string;
  field: FieldSpec;
  error?: string;
  value?: string;
  /** The submit button's name (Continue by default). */
  submit?: string;
  /** More markup after the form (another way to sign in). */
  after?: string;
}): string {
  const { field } = options;
  const inputmode = field.inputmode ? ` inputmode="${field.inputmode}"` : '';
  const value = options.value ? ` value="${escapeHtml(options.value)}"` : '';
  const error = options.error ? `<p role="alert">${escapeHtml(options.error)}</p>` : '';
  return renderPage({
    title: options.title,
    body: `<h1>${escapeHtml(options.heading)}</h1>
${options.intro ? `<p>${escapeHtml(options.intro)}</p>` : ''}
<form method="post" action="${escapeHtml(options.action)}">
<label for="${field.name}">${escapeHtml(field.label)}</label>
<input id="${field.name}" name="${field.name}" type="${field.type}" autocomplete="${field.autocomplete}"${inputmode}${value} required autofocus>
${error}
<button type="submit">${escapeHtml(options.submit ?? 'Continue')}</button>
</form>${options.after ?? ''}`,
  });
}

/** A screen of choices: a heading, some lines, and one form whose buttons each post `choice`. */
export function renderChoice(options: {
  title: string;
  heading: string;
  lines: readonly string[];
  action: string;
  choices: readonly { value: string; label: string }[];
}): string {
  return renderPage({
    title: options.title,
    body: `<h1>${escapeHtml(options.heading)}</h1>
${options.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<form method="post" action="${escapeHtml(options.action)}">
${options.choices.map((choice) => `<button type="submit" name="choice" value="${escapeHtml(choice.value)}">${escapeHtml(choice.label)}</button>`).join('\n')}
</form>`,
  });
}
