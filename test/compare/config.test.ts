import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_COMPARE_CONFIG, loadCompareConfig, resolveCompareConfig } from '../../src/compare/config.js';
import { InputError } from '../../src/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'isobench-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function problems(data: unknown): string[] {
  try {
    resolveCompareConfig(data, 'c.json');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message.split('\n');
  }
  throw new Error('expected an InputError');
}

describe('compare config', () => {
  it('defaults: alpha 0.01, 10% for every metric', () => {
    expect(DEFAULT_COMPARE_CONFIG.alpha).toBe(0.01);
    expect(new Set(Object.values(DEFAULT_COMPARE_CONFIG.minEffect))).toEqual(new Set([0.1]));
  });

  it('a default and a per-metric override', () => {
    const config = resolveCompareConfig({ compare: { alpha: 0.05, minEffect: { default: 0.2, startupP99Ms: 0.3 } } }, 'c.json');
    expect(config).toMatchObject({ alpha: 0.05, source: 'c.json', minEffect: { startupFirstMs: 0.2, startupP99Ms: 0.3, maxInstances: 0.2 } });
  });

  it('ignores the sections of other commands', () => {
    expect(resolveCompareConfig({ bench: { real: 'docker' } }, 'c.json')).toEqual({ ...DEFAULT_COMPARE_CONFIG, source: 'c.json' });
  });

  it('rejects unknown fields and metrics with a suggestion, and values out of range', () => {
    expect(problems({ compare: { alpah: 0.01 } })).toEqual(['c.json: compare.alpah: unknown field; expected alpha or minEffect (did you mean "alpha"?)']);
    expect(problems({ compare: { minEffect: { startupP99: 0.3 } } })[0]).toMatch(/^c\.json: compare\.minEffect\.startupP99: unknown metric; .* \(did you mean "startupP99Ms"\?\)$/);
    expect(problems({ compare: { alpha: 2, minEffect: { default: -1 } } })).toEqual([
      'c.json: compare.alpha: expected a significance level between 0 and 1, e.g. 0.01',
      'c.json: compare.minEffect.default: expected a fraction >= 0, e.g. 0.1 for 10%',
    ]);
    expect(problems([])).toEqual(['c.json: expected a JSON object, e.g. { "compare": { "alpha": 0.01 } }']);
  });

  it('reads a file, and names a missing or broken one', async () => {
    const good = join(tmp, 'isobench.config.json');
    writeFileSync(good, '{ "compare": { "alpha": 0.05 } }');
    expect((await loadCompareConfig(good)).alpha).toBe(0.05);
    await expect(loadCompareConfig(join(tmp, 'none.json'))).rejects.toThrow(`${join(tmp, 'none.json')}: no such file`);
    const broken = join(tmp, 'broken.json');
    writeFileSync(broken, '{ "compare": ');
    await expect(loadCompareConfig(broken)).rejects.toThrow(/broken\.json: not valid JSON/);
  });
});
