// @ts-check
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';

/**
 * What a figure needs next to it to mean anything: the CPU, how many cores, how busy the machine
 * was when the run started (the machine may be shared), and the Node that ran it.
 */
export function describeMachine() {
  const processors = cpus();
  return {
    cpu: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 100) / 100,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
  };
}
