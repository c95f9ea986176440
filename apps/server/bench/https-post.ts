// One JSON POST over a keep-alive agent (HTTPS or HTTP, by the URL); shared by the benches and
// their load generators.
import { type Agent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface PostResult {
  readonly status: number;
  readonly body: string;
}

/** `agent` is an `https.Agent` for https: URLs (it extends `http.Agent`). */
export function postJson(
  agent: Agent,
  url: URL,
  body: string,
  headers: Record<string, string> = {},
): Promise<PostResult> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        agent,
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}
