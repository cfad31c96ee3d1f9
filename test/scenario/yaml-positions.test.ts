import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { yamlPositions } from '../../src/scenario/yaml-positions.js';

const text = [
  'name: demo', // 1
  'services:', // 2
  '  - name: api', // 3
  '    app:', // 4
  '      memory: 96MiB', // 5
  '  - name: web', // 6
  '    app: &shared', // 7
  '      memory: 1MiB', // 8
  '  - name: db', // 9
  '    app: *shared', // 10: an alias; paths through it lead to the anchored node
].join('\n');

describe('yamlPositions', () => {
  const lineCounter = new LineCounter();
  const positions = yamlPositions(parseDocument(text, { lineCounter }), lineCounter);
  it('finds the line of a nested key', () => {
    expect(positions.lineOf(['services', 0, 'app', 'memory'])).toBe(5);
    expect(positions.lineOf(['services', 1, 'name'])).toBe(6);
  });
  it('follows aliases to the anchored node', () => {
    expect(positions.lineOf(['services', 2, 'app'])).toBe(10);
    expect(positions.lineOf(['services', 2, 'app', 'memory'])).toBe(8);
  });
  it('points a missing field at its deepest existing parent', () => {
    expect(positions.lineOf(['services', 0, 'app', 'startup'])).toBe(4);
    expect(positions.lineOf(['services', 5])).toBe(2);
  });
  it('has no line for the file as a whole or a missing top-level key', () => {
    expect(positions.lineOf([])).toBeUndefined();
    expect(positions.lineOf(['description'])).toBeUndefined();
  });
});
