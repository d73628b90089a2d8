/**
 * Who holds a loopback port: the listening socket's process, read from /proc (Linux), so that a
 * port in use is named with its PID and command, and a lab left running by an earlier run is told
 * from any other program. Elsewhere, or for another user's process, the holder is unknown.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface PortHolder {
  pid: number;
  /** The process's command line, arguments joined by spaces. */
  command: string;
  /** Whether it is an authmatrix lab (`lab/main.ts`). */
  lab: boolean;
}

const LISTEN = '0A';

/** The inodes of the sockets listening on `port`, from /proc/net/tcp and tcp6. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (!local || fields[3] !== LISTEN) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** Whether something listens on `port` (any address), as far as /proc shows; undefined where it cannot tell. */
export function portListening(port: number): boolean | undefined {
  try {
    readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return undefined;
  }
  return listeningInodes(port).size > 0;
}

/** The process listening on `port`, when this machine says (Linux, a process this user may read). */
export function portHolder(port: number): PortHolder | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) {
        let command = '';
        try {
          command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
        } catch {
          // The process ended between the two reads: its PID still names it.
        }
        return { pid: Number(pid), command, lab: /\blab\/main\.ts\b/.test(command) };
      }
    }
  }
  return undefined;
}

/** How a port's holder reads in a message: `a stray authmatrix lab (PID 123: node … lab/main.ts)`. */
export function describeHolder(holder: PortHolder | undefined): string {
  if (!holder) return 'another process (its PID is not visible to this user)';
  const command = holder.command.length > 80 ? `${holder.command.slice(0, 80)}…` : holder.command;
  return holder.lab ? `a stray authmatrix lab (PID ${holder.pid}: ${command})` : `PID ${holder.pid} (${command || 'command unknown'})`;
}

/** How to free a port from its holder: `stop it (kill 123)`. */
export function stopHint(holder: PortHolder | undefined): string {
  return holder ? `stop it (kill ${holder.pid})` : 'stop it';
}
