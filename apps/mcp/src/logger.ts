/**
 * One JSON line per event on stderr (stdout belongs to the stdio protocol). Hand-written: the
 * bridge logs a handful of events and never a credential, so a logging library's redaction
 * machinery would guard nothing here.
 */
export interface BridgeLogger {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

export function createBridgeLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
): BridgeLogger {
  const log = (level: string) => (fields: Record<string, unknown>, msg: string) =>
    write(`${JSON.stringify({ level, time: new Date().toISOString(), ...fields, msg })}\n`);
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
