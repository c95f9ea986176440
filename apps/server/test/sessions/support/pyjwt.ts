import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Debian's python with python3-jwt (PyJWT): the `python3` on PATH may be another interpreter
 * without it. CI installs the package; elsewhere the tests that need it may skip.
 */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export async function hasPyJwt(): Promise<boolean> {
  if (!existsSync(DEBIAN_PYTHON)) return false;
  try {
    await run(DEBIAN_PYTHON, ['-c', 'import jwt'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Runs a short Python program with PyJWT imported as `jwt`; `input` arrives as `data`. */
export async function runPyJwt(program: string, input: unknown): Promise<string> {
  const script = `import json, sys, jwt\ndata = json.loads(sys.argv[1])\n${program}`;
  const { stdout } = await run(DEBIAN_PYTHON, ['-c', script, JSON.stringify(input)], {
    timeout: 10_000,
  });
  return stdout.trim();
}
