import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where PostgreSQL's server binaries are: on PATH, or Debian's versioned directory. */
export function findPostgresBin(): string | undefined {
  for (const dir of [
    ...(process.env.PATH ?? '').split(':'),
    ...['17', '16', '15', '14', '13'].map((v) => `/usr/lib/postgresql/${v}/bin`),
  ]) {
    if (dir !== '' && existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb'))) {
      return dir;
    }
  }
  return undefined;
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` system user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, loopback only). */
  readonly url: string;
  readonly port: number;
  /** Starts the server and waits until it accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl stop -m <mode>`: fast ends sessions cleanly, immediate is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server if it runs and deletes the cluster. */
  remove(): Promise<void>;
}

/**
 * A throwaway cluster of our own (initdb into `dir`), so a test can stop and start the whole
 * server under load. Listens on 127.0.0.1 and a private socket directory only. It gets its own
 * temp directory: as root the cluster belongs to `postgres`, who cannot enter root's 0700 dirs.
 */
export async function createPostgresCluster(bin: string): Promise<PostgresCluster> {
  const owner = runAs();
  const dir = await mkdtemp(join(tmpdir(), 'cairn-e2e-postgres-'));
  const data = join(dir, 'pgdata');
  const sockets = join(dir, 'sockets');
  await mkdir(sockets, { recursive: true });
  if (owner !== undefined) {
    await chown(dir, owner.uid, owner.gid);
    await chown(sockets, owner.uid, owner.gid);
  }
  const tool = async (name: string, args: string[], timeout = 60_000) => {
    try {
      return await run(join(bin, name), args, {
        timeout,
        cwd: dir,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' },
        ...(owner ?? {}),
      });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`${name} ${args.join(' ')} failed: ${stderr ?? ''}${stdout ?? ''}${error}`);
    }
  };
  await tool('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    "-c listen_addresses='127.0.0.1'",
    `-c unix_socket_directories='${sockets}'`,
    '-c fsync=off',
    '-c max_connections=50',
    '-c shared_buffers=16MB',
  ].join(' ');
  let running = false;
  const cluster: PostgresCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await tool('pg_ctl', [
        'start',
        '-D',
        data,
        '-w',
        '-t',
        '60',
        '-o',
        options,
        '-l',
        join(dir, 'log'),
      ]);
      running = true;
    },
    async stop(mode = 'fast') {
      await tool('pg_ctl', ['stop', '-D', data, '-w', '-t', '60', '-m', mode]);
      running = false;
    },
    async remove() {
      if (running) await cluster.stop('immediate').catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}
