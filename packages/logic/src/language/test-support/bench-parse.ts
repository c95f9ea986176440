// Parse and print speed of a ~1 MiB program, against JSON.parse of the same clauses in their
// JSON form measured in the same run. Prints one JSON object.
// Run: pnpm exec tsx src/language/test-support/bench-parse.ts

import { cpus } from 'node:os';
import type { Clause } from '../ast.js';
import { factToJson, ruleToJson } from '../json-form.js';
import { factFromJson, ruleFromJson } from '../json-read.js';
import { parseProgram } from '../parser.js';
import { printProgram } from '../printer.js';

function buildProgram(targetLength: number): string {
  const lines: string[] = [];
  let length = 0;
  for (let index = 0; length < targetLength; index++) {
    const line =
      index % 10 === 9
        ? `reach${index % 7}(?x, ?z) :- edge(?x, ?y), reach${index % 7}(?y, ?z), not blocked(?y), ?z != node${index}.`
        : index % 5 === 0
          ? `plan(customer-${index}, "Customer ${index} Ltd", ${index * 1.5}, true) [confidence=0.9, ttl=3600].`
          : `edge(node${index}, node${index + 1}).`;
    lines.push(line);
    length += line.length + 1;
  }
  return `${lines.join('\n').slice(0, targetLength - 1)}`.replace(/[^\n]*$/, '');
}

function median(run: () => void, repetitions: number): number {
  const times: number[] = [];
  for (let index = 0; index < repetitions; index++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

const text = buildProgram(1024 * 1024 - 1024);
const clauses: Clause[] = parseProgram(text);
const jsonText = JSON.stringify(
  clauses.map((clause) => (clause.kind === 'fact' ? factToJson(clause) : ruleToJson(clause))),
);
const repetitions = 9;
for (let warm = 0; warm < 3; warm++) parseProgram(text);

const parseMs = median(() => parseProgram(text), repetitions);
const printMs = median(() => printProgram(clauses), repetitions);
const jsonParseMs = median(() => JSON.parse(jsonText), repetitions);
const jsonFormMs = median(() => {
  for (const item of JSON.parse(jsonText) as Array<Record<string, unknown>>) {
    if ('head' in item) ruleFromJson(item);
    else factFromJson(item);
  }
}, repetitions);

/** Time to parse or reject hostile inputs of about 1 MiB (the error is the expected outcome). */
function hostile(): Record<string, number> {
  const size = 1024 * 1024 - 16;
  const inputs: Record<string, string> = {
    oneComment: `% ${'x'.repeat(size - 2)}`,
    openParentheses: `p${'('.repeat(size - 1)}`,
    longDigitRun: `p(${'9'.repeat(size - 3)})`,
    longName: `p(${'a'.repeat(size - 3)})`,
    unclosedEscapes: `p("${'\\u{41}'.repeat(Math.floor((size - 3) / 7))}`,
    manyBlankLines: `${'\n'.repeat(size - 5)}p(a).`,
  };
  const times: Record<string, number> = {};
  for (const [name, input] of Object.entries(inputs)) {
    times[name] = round(
      median(() => {
        try {
          parseProgram(input);
        } catch {
          // Rejection is the expected outcome for most of these inputs.
        }
      }, 5),
    );
  }
  return times;
}

console.log(
  JSON.stringify(
    {
      benchmark: 'language/parse',
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
      input: { characters: text.length, clauses: clauses.length, jsonCharacters: jsonText.length },
      medianMs: {
        parseProgram: round(parseMs),
        printProgram: round(printMs),
        baselineJsonParse: round(jsonParseMs),
        jsonParsePlusFromJson: round(jsonFormMs),
      },
      hostileInputMedianMs: hostile(),
      parseMiBPerSecond: round(text.length / 1024 / 1024 / (parseMs / 1000)),
      ratioParseToJsonParse: round(parseMs / jsonParseMs),
    },
    null,
    2,
  ),
);

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
