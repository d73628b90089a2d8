/**
 * How each example target runs from the command line (`npm run example:*`): EXAMPLE_PORT (the
 * provider's port; the app takes the next) and EXAMPLE_FAULTS checked first, one `example.ready`
 * line on stdout once it answers, a clean stop on SIGINT or SIGTERM, and one message naming the
 * problem when it cannot start.
 */
export interface RunningExample {
  issuer: string;
  appUrl: string;
  close(): Promise<void>;
}

export async function runExample<Fault extends string>(options: {
  defaultPort: number;
  faults: readonly Fault[];
  start: (port: number, faults: Fault[]) => Promise<RunningExample>;
}): Promise<void> {
  const raw = process.env.EXAMPLE_PORT ?? String(options.defaultPort);
  const port = Number(raw);
  const faults = (process.env.EXAMPLE_FAULTS ?? '')
    .split(',')
    .map((fault) => fault.trim())
    .filter(Boolean);
  const unknown = faults.filter((fault) => !(options.faults as readonly string[]).includes(fault));
  if (!Number.isInteger(port) || port < 1024 || port > 65_000) {
    process.stderr.write(`EXAMPLE_PORT=${JSON.stringify(raw)} must be a whole number from 1024 to 65000 (the app takes the next port)\n`);
    process.exit(2);
  }
  if (unknown.length) {
    process.stderr.write(
      `EXAMPLE_FAULTS names unknown faults ${unknown.join(', ')}; known: ${options.faults.join(', ') || 'none (this example has no faults)'}\n`,
    );
    process.exit(2);
  }
  try {
    const target = await options.start(port, faults as Fault[]);
    process.stdout.write(`${JSON.stringify({ event: 'example.ready', issuer: target.issuer, app: target.appUrl, faults })}\n`);
    const stop = () => {
      void target.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop).once('SIGTERM', stop);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(
      code === 'EADDRINUSE'
        ? `port ${port} or ${port + 1} is taken; stop what holds it or set EXAMPLE_PORT to another port\n`
        : `the example target cannot start: ${(error as Error).message}\n`,
    );
    process.exit(1);
  }
}

/**
 * Waits until an example's identity provider answers discovery at `issuer` (checked every
 * `intervalMs`: a server of another program gives no event to wait on). `failure()` names why it
 * never will (it exited, it cannot load); then, or after `timeoutMs`, `close()` stops what was
 * started and the error says so, with the server's last words (`output()`).
 */
export async function untilDiscoveryAnswers(
  issuer: string,
  options: {
    what: string;
    timeoutMs: number;
    intervalMs: number;
    failure: () => string | undefined;
    output: () => string;
    close: () => Promise<void>;
  },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const failed = options.failure();
    if (failed !== undefined) {
      await options.close();
      throw new Error(`${failed}: ${options.output().trim()}`);
    }
    const answered = await fetch(`${issuer}/.well-known/openid-configuration`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return;
    if (Date.now() > deadline) {
      await options.close();
      throw new Error(`${options.what} did not answer on ${issuer} within ${options.timeoutMs / 1000} s: ${options.output().trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
