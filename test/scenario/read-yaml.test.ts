import { describe, expect, it } from 'vitest';
import { readYaml } from '../../src/scenario/read-yaml.js';

function problems(text: string) {
  const read = readYaml(text, 'f.yaml');
  if (read.ok) throw new Error('accepted');
  return read.problems;
}

describe('readYaml', () => {
  it('returns the top-level mapping', () => {
    const read = readYaml('name: a\nlist: [1, 2]\n', 'f.yaml');
    expect(read.ok && read.value).toEqual({ name: 'a', list: [1, 2] });
  });
  it('reports syntax errors with their line', () => {
    expect(problems('name: a\nname: b\n')).toEqual([{ file: 'f.yaml', path: '', line: 2, message: 'YAML syntax error: Map keys must be unique' }]);
  });
  it('refuses several documents, pointing at the second', () => {
    expect(problems('a: 1\n---\nb: 2\n')).toEqual([{ file: 'f.yaml', path: '', line: 2, message: 'holds 2 YAML documents (separated by "---"); a scenario file holds exactly one' }]);
  });
  it('refuses a top level that is not a mapping', () => {
    expect(problems('- a\n')[0]?.message).toBe('the top level is a list; expected a mapping with name, description and services');
    expect(problems('"text"\n')[0]?.message).toMatch(/^the top level is a single value/);
  });
  it('refuses alias bombs: 9^4 = 6561 strings from five short lines', () => {
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]'];
    expect(problems(bomb.join('\n'))[0]?.message).toMatch(/alias bomb/);
  });
  it('allows a few ordinary aliases', () => {
    const read = readYaml('base: &b { id: debian-12 }\none: *b\ntwo: *b\n', 'f.yaml');
    expect(read.ok && read.value).toEqual({ base: { id: 'debian-12' }, one: { id: 'debian-12' }, two: { id: 'debian-12' } });
  });
  it('refuses more than 20,000 indicator characters before parsing', () => {
    expect(problems(`l: [${'1,'.repeat(20_001)}1]`)[0]?.message).toMatch(/^has more than 20,000 YAML indicators/);
    // 400,000 "? " once made the parser run out of memory; now it never sees them.
    expect(problems(`a: ${'? '.repeat(400_000)}1`)[0]?.message).toMatch(/too many YAML nodes/);
  });
  it('refuses more than 20,000 nodes even on few lines', () => {
    // 7,000 lines `kN: v`: 2 indicators each (newline, ":"), about 14,000 in all, under the pre-parse
    // cap; but 3 nodes each (pair, key, value): 21,000 nodes, over the node cap.
    const text = Array.from({ length: 7_000 }, (_, i) => `k${i}: v`).join('\n');
    expect(problems(text)[0]?.message).toBe('has more than 20,000 YAML nodes; a scenario needs far fewer');
  });
  it('refuses flow nesting deeper than 64 levels (the parser would overflow its stack)', () => {
    expect(problems(`a: ${'['.repeat(65)}${']'.repeat(65)}`)[0]?.message).toBe('nests [ ] or { } more than 64 levels deep; a scenario needs a few');
  });
  it('refuses keys that are lists or mappings, with their line', () => {
    expect(problems('name: a\n? [x, y]\n: 1\n')).toEqual([{ file: 'f.yaml', path: '', line: 2, message: 'a key is a list or a mapping; keys are plain words such as "name"' }]);
  });
  it('keeps __proto__ as a plain (unknown) key, never as a prototype', () => {
    const read = readYaml('__proto__: { polluted: true }\n', 'f.yaml');
    expect(read.ok).toBe(true);
    if (read.ok) expect(Object.keys(read.value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
