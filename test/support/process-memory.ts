import { readFile } from 'node:fs/promises';

/** Resident set size of a live process in bytes (Linux /proc), or undefined once it is gone. */
export async function residentBytes(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** Reads one sample metric (no labels) from a Prometheus text exposition. */
export function metricValue(exposition: string, name: string): number | undefined {
  const match = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(exposition);
  return match === null ? undefined : Number(match[1]);
}
