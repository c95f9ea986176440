import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApiConnection } from '@cairn/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type RunningHttpBridge, startHttpBridge } from '../src/http/http-bridge.js';
import { createBridgeLogger } from '../src/logger.js';

// The bridge over HTTPS through @cairn/server/tls, on 127.0.0.1:0 with a certificate openssl makes.
let dir: string;
let cert: string;
let bridge: RunningHttpBridge;
const connection = openApiConnection({ url: 'http://127.0.0.1:9' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-mcp-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore', timeout: 30_000 },
  );
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  bridge = await startHttpBridge({
    connection,
    resource: new URL('https://cairn.test'),
    settings: {
      host: '127.0.0.1',
      port: 0,
      publicUrl: undefined,
      allowedOrigins: [],
      tls: {
        certPath: join(dir, 'cert.pem'),
        keyPath: join(dir, 'key.pem'),
        minVersion: 'TLSv1.2',
      },
    },
    defaults: {},
    version: '0.0.0-test',
    logger: createBridgeLogger(() => undefined),
  });
});
afterAll(async () => {
  await bridge?.close();
  await connection.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(
  url: URL,
  ca: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

test('serves HTTPS with HSTS; the metadata names the https endpoint', async () => {
  expect(bridge.url.protocol).toBe('https:');
  const response = await get(new URL('/.well-known/oauth-protected-resource', bridge.url), cert);
  expect(response.status).toBe(200);
  expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  expect(JSON.parse(response.body)).toMatchObject({ resource: bridge.url.href });
});

test('a client that does not trust the certificate cannot connect', async () => {
  await expect(get(new URL('/health', bridge.url), '')).rejects.toThrow(
    /self[- ]signed|unable to verify|certificate/i,
  );
});
