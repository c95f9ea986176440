// Anything exported here is the public API of @cairn/mcp-tools.
export { type CairnMcpServerOptions, createCairnMcpServer } from './create-cairn-mcp-server.js';
export { CairnToolsError, type CairnToolsErrorCode } from './errors.js';
export { type CredentialBinder, createCredentialBinder } from './http/credential-binding.js';
export { isAllowedHost, isAllowedOrigin, originsOf } from './http/origin-guard.js';
export {
  createSessionHost,
  type HttpCaller,
  type SessionHost,
  type SessionHostOptions,
} from './http/session-host.js';
export {
  CAIRN_TOOL_NAMES,
  type CairnToolName,
  registerCairnTools,
} from './register-cairn-tools.js';
export type {
  ClientForCall,
  ToolCallExtra,
  ToolDefaults,
  ToolDependencies,
} from './tool-context.js';
export { toolFailure, toolSuccess } from './tool-result.js';
