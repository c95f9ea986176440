import { Writable } from 'node:stream';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  readonly level: string;
  readonly format: 'json' | 'text';
  /** Where lines go; default stdout. */
  readonly destination?: DestinationStream;
}

/**
 * Structured JSON logs by default. Secrets never reach a log line: the redact list is a last
 * line of defence, the first is that nothing logs headers or fact contents at info level.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const destination = options.destination ?? process.stdout;
  return pino(
    {
      level: options.level,
      base: { service: 'cairn' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'apiKey',
          'password',
          'token',
          '*.apiKey',
          '*.password',
          '*.token',
          'headers.authorization',
          'headers["x-api-key"]',
        ],
        censor: '[redacted]',
      },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.format === 'text' ? createTextStream(destination) : destination,
  );
}

/** One readable line per record for people at a terminal: `time level msg key=value …`. */
function createTextStream(destination: DestinationStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        const {
          time,
          level,
          msg,
          service: _service,
          ...rest
        } = JSON.parse(line) as Record<string, unknown>;
        const fields = Object.entries(rest)
          .map(
            ([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
          )
          .join(' ');
        destination.write(
          `${String(time)} ${String(level).toUpperCase().padEnd(5)} ${String(msg ?? '')}${fields ? ` ${fields}` : ''}\n`,
        );
      }
      callback();
    },
  });
}
