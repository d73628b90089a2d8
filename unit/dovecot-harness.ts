/**
 * A real IMAP server for the project's tests: Dovecot (Debian's dovecot-imapd and dovecot-lmtpd),
 * started in the foreground on loopback ports with its own configuration in a temporary folder.
 * One catch-all mailbox: every address delivered over LMTP lands in the Maildir the IMAP user reads.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { stopProcess } from '../scripts/processes.ts';

export const DOVECOT_INSTALL = 'apt-get install -y dovecot-imapd dovecot-lmtpd';

export interface Dovecot {
  imapPort: number;
  lmtpPort: number;
  user: string;
  password: string;
  close(): Promise<void>;
}

/** Where the dovecot binary is, or undefined when it is not installed. */
export function dovecotBinary(): string | undefined {
  for (const candidate of ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot']) {
    if (spawnSync(candidate, ['--version']).status === 0) return candidate;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once `port` accepts a connection; rejects when the server exits or after 10 s. */
function listening(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  return new Promise((resolve, reject) => {
    const exited = () => reject(new Error('dovecot exited before it listened'));
    child.once('exit', exited);
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        child.off('exit', exited);
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`dovecot did not listen on ${port} within 10 s`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export async function startDovecot(binary: string): Promise<Dovecot> {
  const dir = mkdtempSync(path.join(tmpdir(), 'authmatrix-dovecot-'));
  const [imapPort, lmtpPort] = [await freePort(), await freePort()];
  const user = 'codes@authmatrix.test';
  const password = `imap-${Math.random().toString(36).slice(2)}-pass`;
  const root = process.getuid?.() === 0;
  // As root, Dovecot's own service users run it; otherwise everything runs as the current user.
  const me = userInfo().username;
  const [serviceUser, loginUser] = root ? ['dovecot', 'dovenull'] : [me, me];
  const mail = path.join(dir, 'mail');
  mkdirSync(mail, { recursive: true });
  mkdirSync(path.join(dir, 'run'));
  mkdirSync(path.join(dir, 'state'));
  writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`);
  if (root) {
    // Dovecot's service users read the password file and own the Maildir.
    chmodSync(dir, 0o755);
    const uid = Number(spawnSync('id', ['-u', serviceUser], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', serviceUser], { encoding: 'utf8' }).stdout.trim());
    chownSync(mail, uid, gid);
  }
  const config = path.join(dir, 'dovecot.conf');
  writeFileSync(
    config,
    `protocols = imap lmtp
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
default_login_user = ${loginUser}
default_internal_user = ${serviceUser}
default_internal_group = ${root ? 'dovecot' : userInfo().username}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${serviceUser} gid=${root ? 'dovecot' : me} home=${mail} allow_all_users=yes
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
  unix_listener lmtp {
    mode = 0600
  }
}
`,
  );
  const child = spawn(binary, ['-F', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await listening(imapPort, child);
    await listening(lmtpPort, child);
  } catch (error) {
    child.kill('SIGKILL');
    const log = (() => {
      try {
        return readFileSync(path.join(dir, 'dovecot.log'), 'utf8');
      } catch {
        return '';
      }
    })();
    throw new Error(`${(error as Error).message}\n${stderr}\n${log}`, { cause: error });
  }
  return {
    imapPort,
    lmtpPort,
    user,
    password,
    close: async () => {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
