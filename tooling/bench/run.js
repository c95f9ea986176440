#!/usr/bin/env node
// @ts-check
// `pnpm bench` at the repository root: runs every workspace package's `bench` script one after
// another (they measure speed, so never two at once) and prints ONE JSON document:
// { machine, date, packages: { "<name>": { script, seconds, exitCode, reports: [...] } } }.
// Options: --only <name>[,<name>…] runs a subset; BENCH_* variables pass through to the benches.
import { fileURLToPath } from 'node:url';
import { describeMachine } from './machine.js';
import { listBenchPackages } from './packages.js';
import { runPackageBench } from './run-package.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** @param {string[]} argv */
function readOnly(argv) {
  const names = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    if (argument === '--') continue; // `pnpm bench -- --only x` passes the separator on
    if (argument === '--only') names.push(...(argv[++index] ?? '').split(','));
    else if (argument.startsWith('--only=')) names.push(...argument.slice(7).split(','));
    else throw new Error(`unknown argument "${argument}" (use --only <package>[,<package>…])`);
  }
  return names.filter((name) => name !== '');
}

/** pnpm itself when this runs under pnpm (`npm_execpath`), else `pnpm` from PATH. */
function pnpmCommand() {
  const script = process.env.npm_execpath;
  return script !== undefined && /pnpm\.c?js$/.test(script) ? [process.execPath, script] : ['pnpm'];
}

async function main() {
  const only = readOnly(process.argv.slice(2));
  const all = await listBenchPackages(root);
  const unknown = only.filter((name) => !all.some((benchPackage) => benchPackage.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `no bench script in ${unknown.join(', ')} (packages with one: ${all.map((p) => p.name).join(', ')})`,
    );
  }
  const selected = only.length === 0 ? all : all.filter((p) => only.includes(p.name));
  const machine = describeMachine();
  const date = new Date().toISOString();
  /** @type {Record<string, import('./run-package.js').PackageResult>} */
  const packages = {};
  for (const [index, benchPackage] of selected.entries()) {
    process.stderr.write(
      `[bench ${index + 1}/${selected.length}] ${benchPackage.name}: ${benchPackage.script}\n`,
    );
    packages[benchPackage.name] = await runPackageBench(benchPackage, { pnpm: pnpmCommand() });
  }
  process.stdout.write(`${JSON.stringify({ machine, date, packages }, null, 2)}\n`);
  const failed = Object.entries(packages).filter(([, result]) => result.error !== undefined);
  for (const [name, result] of failed) process.stderr.write(`bench: ${name}: ${result.error}\n`);
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
