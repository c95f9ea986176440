// One JSON POST over a keep-alive HTTPS agent; shared by the bench and its load generator.
import { type Agent, request } from 'node:https';

export interface PostResult {
  readonly status: number;
  readonly body: string;
}

export function postJson(agent: Agent, url: URL, body: string): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
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
