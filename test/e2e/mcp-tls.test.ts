import { mkdir } from 'node:fs/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  createCertificateAuthority,
  issueCertificate,
  LOCALHOST_NAMES,
  type TestCertificateAuthority,
} from '../support/certificates.js';
import { BRIDGE_CLI } from '../support/mcp-bridge-process.js';
import { type ServerProcess, startServer } from '../support/server-process.js';
import { createTempDir, type TempDir } from '../support/temp-dir.js';

// cairn-mcp (stdio) against `cairn serve` over HTTPS with a certificate from a private CA:
// trusted through CAIRN_CA_FILE, refused without it.

const API_KEY = 'tls-shared-key-0123456789abcdef0123';

let temp: TempDir;
let ca: TestCertificateAuthority;
let server: ServerProcess;

beforeAll(async () => {
  temp = await createTempDir();
  await mkdir(temp.file('ca'));
  await mkdir(temp.file('data'));
  ca = await createCertificateAuthority(temp.file('ca'));
  const certificate = await issueCertificate(ca, {
    name: 'server',
    commonName: 'localhost',
    usage: 'server',
    subjectAltName: LOCALHOST_NAMES,
  });
  server = await startServer({
    DATA_DIR: temp.file('data'),
    API_KEY,
    TLS_ENABLED: 'true',
    TLS_CERT_PATH: certificate.certPath,
    TLS_KEY_PATH: certificate.keyPath,
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await temp?.remove();
});

async function connectStdio(env: Record<string, string>): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BRIDGE_CLI],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'e2e-tls', version: '0' });
  await client.connect(transport);
  return client;
}

const text = (result: Awaited<ReturnType<Client['callTool']>>) =>
  (result.content as Array<{ type: string; text?: string }>)
    .map((part) => part.text ?? '')
    .join('\n');

test('with CAIRN_CA_FILE the bridge trusts the private CA and the tools work over HTTPS', async () => {
  expect(server.url).toMatch(/^https:/);
  const client = await connectStdio({
    CAIRN_URL: server.url,
    CAIRN_TOKEN: API_KEY,
    CAIRN_CA_FILE: ca.certPath,
  });
  try {
    const told = await client.callTool({ name: 'tell', arguments: { fact: 'secure(channel)' } });
    expect(told.isError).toBeFalsy();
    const answer = await client.callTool({ name: 'ask', arguments: { query: 'secure(?what)' } });
    expect(answer.structuredContent).toMatchObject({ solutions: [{ what: 'channel' }] });
  } finally {
    await client.close();
  }
});

test('without the CA the certificate is refused and the tool says so, naming no secret', async () => {
  const client = await connectStdio({ CAIRN_URL: server.url, CAIRN_TOKEN: API_KEY });
  try {
    const result = await client.callTool({ name: 'list_databases', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(
      /^NETWORK: could not reach the Cairn API at https:\/\/127\.0\.0\.1:\d+: .*(CERT|SELF_SIGNED|UNABLE_TO_VERIFY)/,
    );
    expect(text(result)).not.toContain(API_KEY);
  } finally {
    await client.close();
  }
});
