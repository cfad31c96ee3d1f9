// Stands in for bin/isobench.js in the ci-bench.sh tests, so they run without a build or an engine:
// `compare BASE NEW [--allow-env-change] [--fail-on none]` is the real compareCommand with the CLI's
// error mapping; `bench --results DIR ...` copies $FAKE_BENCH_REPORT to DIR/report.json, writes a
// DIR/report.md, and exits with $FAKE_BENCH_EXIT (default 0); `ab BASE HEAD --results DIR ...`
// compares $FAKE_AB_BASE with $FAKE_AB_HEAD as the real `ab` does once both are measured (the
// comparison Markdown in DIR/comparison.md, exit 1 on a regression), and records its arguments.

import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { compareCommand } from '../../src/cli/compare-command.js';

async function fakeMain(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'bench') {
    const at = rest.indexOf('--results');
    const results = rest[at + 1]!;
    const flags = rest.filter((_, i) => i !== at && i !== at + 1);
    mkdirSync(results, { recursive: true });
    copyFileSync(process.env['FAKE_BENCH_REPORT']!, join(results, 'report.json'));
    writeFileSync(join(results, 'report.md'), `# isobench report\n\nbench ${flags.join(' ')}\n`);
    return Number(process.env['FAKE_BENCH_EXIT'] ?? '0');
  }
  if (command === 'ab') {
    const at = rest.indexOf('--results');
    const results = rest[at + 1]!;
    mkdirSync(results, { recursive: true });
    writeFileSync(join(results, 'ab-args.txt'), rest.join(' '));
    return compareCommand({
      base: process.env['FAKE_AB_BASE']!,
      next: process.env['FAKE_AB_HEAD']!,
      reports: ['md'],
      outDir: results,
      io: { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
    });
  }
  if (command === 'compare') {
    const [base, next] = rest.filter((arg) => !arg.startsWith('--'));
    try {
      return await compareCommand({
        base: base!,
        next: next!,
        allowEnvChange: rest.includes('--allow-env-change'),
        failOn: rest.includes('none') ? 'none' : 'regression',
        io: { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
      });
    } catch (error) {
      const code = exitCodeFor(error);
      if (code === undefined) throw error;
      process.stderr.write(`isobench: invalid input:\n${(error as Error).message}\n`);
      return code;
    }
  }
  process.stderr.write(`fake-cli: unknown command ${String(command)}\n`);
  return 2;
}

process.exitCode = await fakeMain(process.argv.slice(2));
