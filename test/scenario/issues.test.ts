import { describe, expect, it } from 'vitest';
import type { InputError } from '../../src/errors.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { formatPath } from '../../src/scenario/issues.js';
import { parseScenarioText } from '../../src/scenario/load.js';

describe('formatPath', () => {
  it('writes paths as users read them', () => {
    expect(formatPath(['services', 0, 'app', 'memory'])).toBe('services[0].app.memory');
    expect(formatPath(['services', 2, 'image', 'layers', 1, 'id'])).toBe('services[2].image.layers[1].id');
    expect(formatPath([])).toBe('');
  });
  it('quotes keys that are not plain words', () => {
    expect(formatPath(['host', 'my key'])).toBe('host["my key"]');
    expect(formatPath(['x\u0000'])).toBe('["x\\u0000"]');
  });
});

describe('unknown keys', () => {
  const parse = (text: string) => {
    try {
      parseScenarioText(text, 'k.yaml', builtinCatalog());
    } catch (error) {
      return (error as InputError).problems;
    }
    throw new Error('accepted');
  };
  const base = 'name: k\ndescription: Keys.\nservices:\n  - name: a\n    instances: 1\n    app: { memory: 1MiB }\n    image: { ref: a }\n';
  it('suggests a key written one level too high', () => {
    expect(parse(`${base}runtime: crun\n`)).toMatchObject([{ path: 'runtime', line: 8, suggestion: 'container.runtime' }]);
    expect(parse(`${base}cpus: 4\n`)).toMatchObject([{ path: 'cpus', suggestion: 'host.cpus' }]);
  });
  it('reports each unknown key of one mapping as its own problem', () => {
    expect(parse(`${base}host: { cpu: 4, ram: 8GiB }\n`)).toMatchObject([
      { path: 'host.cpu', line: 8, suggestion: 'cpus' },
      { path: 'host.ram', line: 8, message: expect.stringContaining('valid fields here: preset, cpus, memory') },
    ]);
  });
});
