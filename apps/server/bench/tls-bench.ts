// TLS cost, measured against a baseline in the same run: full handshakes per second through
// createHttpsServer (Mozilla intermediate policy, HSTS wrapper, PKCS#12) versus a bare
// node:https server with Node's defaults and the same keystore; and the cost of reload()
// versus a bare tls.createSecureContext. Prints JSON. BENCH_SECONDS overrides the duration.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createBareHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connect, createSecureContext } from 'node:tls';
import { createDevCertificate } from '../src/commands/certs.js';
import { createHttpsServer, loadTlsMaterial } from '../src/tls/index.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const concurrency = 8;

function handshakeOnce(port: number, ca: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca }, () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

async function handshakesPerSecond(server: Server, ca: Buffer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await handshakeOnce(port, ca);
        count += 1;
      }
    }),
  );
  const rate = count / ((performance.now() - start) / 1000);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return rate;
}

function averageMs(runs: number, fn: () => unknown): number {
  const start = performance.now();
  for (let index = 0; index < runs; index += 1) fn();
  return (performance.now() - start) / runs;
}

const dir = await mkdtemp(join(tmpdir(), 'cairn-tls-bench-'));
try {
  const made = await createDevCertificate({ outDir: dir });
  const ca = await readFile(made.certPath);
  const pfx = await readFile(made.keystorePath);
  const settings = {
    keystorePath: made.keystorePath,
    keystorePassword: made.password,
    minVersion: 'TLSv1.2',
  } as const;
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };

  const baselineRate = await handshakesPerSecond(
    createBareHttpsServer({ pfx, passphrase: made.password }, (_q, r) => r.end('ok')),
    ca,
  );
  const handle = createHttpsServer(settings, (_q, r) => r.end('ok'), quiet);
  const cairnRate = await handshakesPerSecond(handle.server, ca);

  const baselineContextMs = averageMs(50, () =>
    createSecureContext({ pfx, passphrase: made.password }),
  );
  const loadMs = averageMs(50, () => loadTlsMaterial(settings));
  const reloadMs = averageMs(50, () => handle.reload());
  handle.close();

  console.log(
    JSON.stringify(
      {
        machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
        seconds,
        concurrency,
        certificate: 'RSA-2048 self-signed (cairn certs dev), PKCS#12',
        handshakesPerSecond: {
          baselineNodeDefaults: Math.round(baselineRate),
          createHttpsServer: Math.round(cairnRate),
          ratio: Number((cairnRate / baselineRate).toFixed(2)),
        },
        certificateLoadMs: {
          baselineCreateSecureContext: Number(baselineContextMs.toFixed(2)),
          loadTlsMaterial: Number(loadMs.toFixed(2)),
          reload: Number(reloadMs.toFixed(2)),
          reloadRatio: Number((reloadMs / baselineContextMs).toFixed(2)),
        },
      },
      null,
      2,
    ),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
