// The machine a bench ran on, printed with its figures.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { megabytes } from './statistics.js';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryMb: number;
  readonly os: string;
  readonly node: string;
  readonly swipl: string | null;
  /** 1-minute load average when the bench started: other work sharing the cores. */
  readonly loadAverage: number;
}

export function describeMachine(swipl: string | undefined): MachineInfo {
  let swiplVersion: string | null = null;
  if (swipl !== undefined) {
    swiplVersion = execFileSync(swipl, ['--version'], { encoding: 'utf8' }).trim();
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryMb: megabytes(totalmem()),
    os: `${process.platform} ${release()}`,
    node: process.version,
    swipl: swiplVersion,
    loadAverage: loadavg()[0] ?? 0,
  };
}
