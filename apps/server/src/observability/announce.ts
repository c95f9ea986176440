import type { Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { GRAPHQL_ENDPOINT } from '../app/create-app.js';
import type { Config } from '../config.js';
import type { Logger } from './logger.js';

/** The "listening" line (tests read the URL from it) and a first tell and ask to try. */
export function announce(
  config: Config,
  server: Server | HttpsServer,
  logger: Logger,
  version: string,
): void {
  const address = server.address() as AddressInfo;
  const scheme = config.tls === undefined ? 'http' : 'https';
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${scheme}://${host}:${address.port}`;
  const graphqlUrl = `${url}${GRAPHQL_ENDPOINT}`;
  const auth =
    config.auth.mode === 'legacy'
      ? ` -H "X-API-Key: $API_KEY"`
      : config.auth.mode === 'managed'
        ? ` -H "Authorization: Bearer $CAIRN_API_KEY"`
        : '';
  logger.info(
    { url, graphql: graphqlUrl, version, env: config.env, auth: config.auth.mode },
    'listening',
  );
  logger.info(
    {
      graphql: graphqlUrl,
      ...(config.graphiql ? { graphiql: `${graphqlUrl} (open in a browser)` } : {}),
      ...(config.auth.mode === 'managed'
        ? {
            firstBootstrap: `curl -s ${graphqlUrl} -H 'content-type: application/json' -d '{"query":"mutation { bootstrap(username: \\"admin\\", password: \\"<a long password>\\", keyName: \\"first key\\") { apiKey } }"}'  (once; keep the apiKey it returns in CAIRN_API_KEY)`,
          }
        : {}),
      tryTell: `curl -s ${graphqlUrl} -H 'content-type: application/json'${auth} -d '{"query":"mutation { tell(fact: \\"parent(alice, bob)\\") { text } }"}'`,
      tryAsk: `curl -s ${graphqlUrl} -H 'content-type: application/json'${auth} -d '{"query":"{ ask(query: \\"parent(alice, ?who)\\") { solutions } }"}'`,
    },
    'Cairn is ready: try a first tell and ask',
  );
}
