// The floor of any second process in front of the API: forwards each POST /graphql unchanged
// with the undici client @cairn/client uses (keep-alive), and nothing else — no MCP, no
// authentication, no JSON parsing. Started by ask-bench.ts; prints one `listening` JSON line.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadUndici } from './undici.js';

const target = new URL('/graphql', process.env.TARGET_URL);
const { Agent, request } = loadUndici();
const agent = new Agent({ keepAliveTimeout: 10_000 });

const server = createServer((incoming, outgoing) => {
  const chunks: Buffer[] = [];
  incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
  incoming.on('end', () => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (incoming.headers.authorization !== undefined)
      headers.authorization = incoming.headers.authorization;
    if (incoming.headers.accept !== undefined) headers.accept = incoming.headers.accept;
    request(target, { method: 'POST', headers, body: Buffer.concat(chunks), dispatcher: agent })
      .then(async (answer) => {
        const body = Buffer.from(await answer.body.arrayBuffer());
        outgoing.writeHead(answer.statusCode, {
          'content-type': 'application/json',
          'content-length': body.byteLength,
        });
        outgoing.end(body);
      })
      .catch(() => {
        outgoing.writeHead(502).end();
      });
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stderr.write(
    `${JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${port}` })}\n`,
  );
});
