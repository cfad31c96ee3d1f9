import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareReports } from '../../src/compare/compare.js';
import { loadReport, parseReport } from '../../src/compare/load-report.js';
import { InputError } from '../../src/errors.js';
import { FIXTURES, fixtureText } from '../fixtures/reports/build.js';

const dir = 'test/fixtures/reports';
const tmp = mkdtempSync(join(tmpdir(), 'isobench-load-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The messages of the InputError that loading `file` throws. */
async function problemsOf(file: string): Promise<string[]> {
  const error = await loadReport(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).problems.map((p) => `${p.path}: ${p.message}`);
}

describe('loadReport accepts', () => {
  it.each(Object.keys(FIXTURES))('the fixture %s, unchanged from build.ts', async (name) => {
    expect(readFileSync(join(dir, name), 'utf8')).toBe(fixtureText(name));
    const report = await loadReport(join(dir, name));
    expect(report).toEqual(FIXTURES[name]!());
  });

  it('a report written before hostsNeeded existed: the metric reads as null, and compare skips it', () => {
    // base.json with every "hostsNeeded" key removed, as a baseline from before issue 14 looks.
    const old = JSON.parse(fixtureText('base.json')) as { scenarios: { results: { metrics: Record<string, unknown> }[] }[] };
    for (const scenario of old.scenarios) for (const result of scenario.results) delete result.metrics.hostsNeeded;
    const report = parseReport(JSON.stringify(old), 'old.json');
    expect(report.scenarios[0]!.results[0]!.metrics.hostsNeeded).toBeNull();
    const rows = compareReports(report, FIXTURES['base.json']!()).scenarios.flatMap((s) => s.results.flatMap((r) => r.metrics.map((m) => m.metric)));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).not.toContain('hostsNeeded'); // null on both sides: no row, no "added"
  });

  it('optional fields a newer writer added, and keeps them', () => {
    const report = { ...FIXTURES['base.json']!(), extra: { from: 'the future' } };
    expect(parseReport(JSON.stringify(report), 'x.json')).toHaveProperty('extra.from', 'the future');
  });
});

describe('loadReport rejects, naming the file and field', () => {
  it('a truncated file, with the line where it stops', async () => {
    // truncated.json is the first 700 bytes of base.json: it ends inside line 32.
    const error = (await loadReport(join(dir, 'truncated.json')).catch((e: unknown) => e)) as InputError;
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file: join(dir, 'truncated.json'), path: '', line: 32 });
    expect(error.message).toMatch(/not valid JSON: .*was the run interrupted\?/);
  });

  it('text that is not JSON at all, at the line where it goes wrong, not the last one', () => {
    // A Markdown file: the "#" on line 1 is the first thing JSON cannot read.
    const markdown = '# isobench\n\nSome text\n{ "a": 1 }\n';
    const error = (() => {
      try {
        parseReport(markdown, 'README.md');
      } catch (e) {
        return e as InputError;
      }
      throw new Error('accepted');
    })();
    expect(error.problems[0]).toMatchObject({ file: 'README.md', line: 1 });
    // A stray token on line 3 of 5.
    expect(() => parseReport('{\n  "a": 1,\n  "b": oops\n}\n\n', 'x.json')).toThrow(/^x\.json:3: not valid JSON/);
  });

  it('another schema version', async () => {
    expect(await problemsOf(join(dir, 'other-schema.json'))).toEqual([
      'schemaVersion: is 2; this isobench reads schemaVersion 1: compare reports written by the same version, or refresh the baseline with `npm run bench:baseline`',
    ]);
  });

  it('a report from another tool', async () => {
    expect(await problemsOf(join(dir, 'other-tool.json'))).toEqual(['tool.name: not an isobench report: it has no tool.name, expected "isobench"']);
  });

  it('github-action-benchmark data', async () => {
    expect(await problemsOf(join(dir, 'gab.json'))).toEqual([': is github-action-benchmark data (a list of {name, value}), not an isobench report']);
  });

  it('a wrong shape: one problem per field', async () => {
    expect(await problemsOf(join(dir, 'wrong-shape.json'))).toEqual([
      'environment.kernel: missing; expected string',
      'scenarios[0].results[1].metrics.startupFirstMs: expected number, received string',
      'scenarios[1].results[0].platform: expected one of "process"|"container"|"vm"',
    ]);
  });

  it('a missing file, a directory, an empty file, a binary file', async () => {
    expect(await problemsOf(join(dir, 'no-such.json'))).toEqual([': no such file']);
    expect(await problemsOf(dir)).toEqual([': is a directory, not a report file']);
    const empty = join(tmp, 'empty.json');
    writeFileSync(empty, '  \n');
    expect(await problemsOf(empty)).toEqual([': is empty; expected an isobench report (JSON)']);
    const binary = join(tmp, 'binary.json');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    expect((await problemsOf(binary))[0]).toMatch(/^: not valid JSON: /);
  });

  it('JSON that is not an object', () => {
    expect(() => parseReport('42', 'n.json')).toThrow('n.json: is a JSON number; expected an isobench report (an object)');
    expect(() => parseReport('[1, 2]', 'a.json')).toThrow('a.json: is a JSON array; expected an isobench report (an object)');
  });

  it('another tool that calls itself by name', () => {
    expect(() => parseReport('{"tool": {"name": "hyperfine"}}', 'h.json')).toThrow('h.json: tool.name: not an isobench report: tool.name is "hyperfine", expected "isobench"');
  });

  it('two results for one platform/backend, which could not be matched', () => {
    const report = FIXTURES['base.json']!();
    report.scenarios[1]!.results.push(report.scenarios[1]!.results[0]!);
    expect(() => parseReport(JSON.stringify(report), 'd.json')).toThrow('d.json: scenarios[1].results[2]: second container/model result in scenario "microservices"');
  });

  it('non-finite numbers and a measured result without its engine', () => {
    const report = FIXTURES['base.json']!();
    const docker = report.scenarios[0]!.results[3]!;
    (docker.provenance as unknown as Record<string, unknown>)['engine'] = undefined;
    // JSON has no Infinity, but 1e400 parses to it.
    const text = JSON.stringify(report).replace(`"diskTotalBytes":${50 * 1024 ** 2}`, '"diskTotalBytes":1e400');
    expect(() => parseReport(text, 'f.json')).toThrow(
      'f.json: scenarios[0].results[3].provenance.engine: missing; expected string\n' + 'f.json: scenarios[0].results[3].metrics.diskTotalBytes: expected number, received Infinity',
    );
  });
});
