/**
 * `npm run lab`: starts the lab, prints one `lab.ready` JSON line on stdout, and stops cleanly on
 * SIGINT or SIGTERM, or when the process named in LAB_PARENT_PID ends. A generated admin token is written to `.lab/admin-token` (mode 600) rather
 * than printed, so that it never lands in a log.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { startLab } from './lab.ts';
import { LabSettingsError, readLabSettings } from './settings.ts';

export const ADMIN_TOKEN_FILE = new URL('../.lab/admin-token', import.meta.url);

async function main(): Promise<void> {
  const settings = readLabSettings();
  const lab = await startLab(settings, settings.quiet ? {} : { echo: (line) => process.stderr.write(`${JSON.stringify(line)}\n`) });
  if (settings.adminTokenGenerated) {
    mkdirSync(new URL('.', ADMIN_TOKEN_FILE), { recursive: true });
    writeFileSync(ADMIN_TOKEN_FILE, `${lab.adminToken}\n`, { mode: 0o600 });
  }
  process.stdout.write(`${JSON.stringify(lab.readyLine)}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!settings.quiet) process.stderr.write(`${JSON.stringify({ event: 'lab.stopping', signal })}\n`);
    lab.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // The run that started the lab may end without stopping it (killed outright, SIGKILL): the lab
  // follows it within a second rather than holding its ports for the next run.
  const parent = settings.parentPid;
  if (parent !== undefined)
    setInterval(() => {
      if (!processAlive(parent)) stop(`parent ${parent} gone`);
    }, 1_000).unref();
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

main().catch((error: unknown) => {
  const message =
    error instanceof LabSettingsError || (error instanceof Error && error.name === 'PortInUseError')
      ? error.message
      : String((error as Error)?.stack ?? error);
  process.stderr.write(`authmatrix lab: ${message}\n`);
  process.exit(2);
});
