// Fitting the terminal: wrapping, head wrapping, table splitting, and the whole `npm run bench`
// output at 80 and 100 columns (issue 13: no line wider than the terminal).

import { describe, expect, it } from 'vitest';
import { fitTable, tableWidth, terminalWidth, wrapLine } from '../../src/render/width.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from '../cli/run-cli.js';

describe('terminalWidth', () => {
  it('takes a TTY’s columns, else COLUMNS, else 100', () => {
    expect(terminalWidth({ isTTY: true, columns: 93 }, { COLUMNS: '80' })).toBe(93);
    expect(terminalWidth({ isTTY: false }, { COLUMNS: '80' })).toBe(80);
    expect(terminalWidth({ isTTY: false }, {})).toBe(100);
    expect(terminalWidth({ isTTY: false }, { COLUMNS: 'wide' })).toBe(100);
    // Narrower than 40 is laid out at 40.
    expect(terminalWidth({ isTTY: false }, { COLUMNS: '12' })).toBe(40);
  });
});

describe('wrapLine', () => {
  it('wraps at spaces with the line’s indent plus a hang, and cuts a word longer than a line', () => {
    expect(wrapLine('   one two three four', 12, 2)).toEqual(['   one two', '     three', '     four']);
    expect(wrapLine('short', 12)).toEqual(['short']);
    expect(wrapLine('abcdefghijklmnop', 6, 0)).toEqual(['abcdef', 'ghijkl', 'mnop']);
  });
});

describe('fitTable', () => {
  const view = { head: ['metric', 'container\nmodel: docker-runc', 'vm\nmodel: qemu-kvm'], rows: [['memory: total', '189 MiB', '524 MiB']] };
  // Natural widths 13, 18, 15: 1 + 16 + 21 + 18 = 56 columns.
  it('keeps a table that fits', () => {
    expect(tableWidth([13, 18, 15])).toBe(56);
    expect(fitTable(view, 1, 56)).toEqual([view]);
  });
  it('wraps the heads that stick out furthest first', () => {
    const [fitted, ...more] = fitTable(view, 1, 50);
    expect(more).toEqual([]);
    // The container head (18 wide) is wrapped first: "model:" / "docker-runc" (11): 56 - 7 = 49 columns.
    expect(fitted!.head[1]).toBe('container\nmodel:\ndocker-runc');
    expect(fitted!.head[2]).toBe('vm\nmodel: qemu-kvm');
  });
  it('splits into tables repeating the label column when wrapping is not enough', () => {
    const parts = fitTable(view, 1, 30);
    expect(parts.map((p) => p.head[0])).toEqual(['metric', 'metric']);
    expect(parts.map((p) => p.rows[0])).toEqual([
      ['memory: total', '189 MiB'],
      ['memory: total', '524 MiB'],
    ]);
  });
});

describe('npm run bench fits the terminal', () => {
  it.each([80, 100])('no line wider than %i columns (every default scenario, with --explain)', async (columns) => {
    const { code, stdout, stderr } = await runCli(['bench', '--explain', '--results', await tempDir()], { env: { COLUMNS: String(columns) } });
    expect(code).toBe(0);
    // stderr's "results: PATH, PATH" line stays whole on purpose (paths to copy or grep); the rest fits.
    const lines = [...stdout.split('\n'), ...stderr.split('\n').filter((line) => !line.startsWith('results: '))];
    const wide = lines.filter((line) => [...line].length > columns);
    expect(wide).toEqual([]);
    // Every default scenario is still there.
    expect(stdout.match(/^== /gm)?.length).toBe(readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).length);
  });
});
