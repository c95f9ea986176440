import type { CairnClient } from '@cairn/client';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

/** What the SDK hands a tool handler: the call's authInfo, session id and abort signal. */
export type ToolCallExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * The client that runs one tool call as its caller. The tools hold no authority of their own:
 * the bridge builds a client carrying the caller's credential, the server one that executes
 * in-process with the caller's verified principal, and the API decides either way.
 */
export type ClientForCall = (extra: ToolCallExtra) => CairnClient;

/** Where tools act when a call names no database or tenant (CAIRN_DATABASE, CAIRN_TENANT). */
export interface ToolDefaults {
  readonly database?: string;
  readonly tenant?: string;
}

export interface ToolDependencies {
  readonly clientFor: ClientForCall;
  readonly defaults: ToolDefaults;
}

/** Call argument, else the configured default, else the API's default. */
export function scopeOf(
  args: { database?: string | undefined; tenant?: string | undefined },
  defaults: ToolDefaults,
): { database?: string; tenant?: string } {
  const database = args.database ?? defaults.database;
  const tenant = args.tenant ?? defaults.tenant;
  return {
    ...(database === undefined ? {} : { database }),
    ...(tenant === undefined ? {} : { tenant }),
  };
}
