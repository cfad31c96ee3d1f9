// Cross-field rules, each with the exact problem expected (path, line, message).

import { describe, expect, it } from 'vitest';
import { InputError, type Problem } from '../../src/errors.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { parseScenarioText } from '../../src/scenario/load.js';

const catalog = builtinCatalog();

function problems(text: string): Problem[] {
  try {
    parseScenarioText(text, 's.yaml', catalog);
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error('accepted');
}

const head = 'name: rules\ndescription: Rules.\nservices:\n'; // lines 1-3

describe('cross-field rules', () => {
  it('service names are unique within a file', () => {
    const text = `${head}  - { name: web, instances: 1, app: { memory: 1MiB }, image: { ref: a } }\n  - { name: web, instances: 1, app: { memory: 1MiB }, image: { ref: a } }\n`;
    expect(problems(text)).toEqual([
      {
        file: 's.yaml',
        path: 'services[1].name',
        line: 5,
        message: 'duplicate service name "web", first used at services[0].name (line 4); service names must be unique within a file',
      },
    ]);
  });

  it('a layer id means one size everywhere in the file', () => {
    const text = `${head}  - { name: a, instances: 1, app: { memory: 1MiB }, image: { layers: [ { id: base, size: 10MiB } ] } }\n  - { name: b, instances: 1, app: { memory: 1MiB }, image: { layers: [ { id: base, size: 12MiB } ] } }\n`;
    expect(problems(text)).toEqual([
      {
        file: 's.yaml',
        path: 'services[1].image.layers[0].size',
        line: 5,
        message: 'layer "base" is 12.0 MiB here but 10.0 MiB at services[0].image.layers[0].size (line 4); the same layer id means the same layer, so give both the same size or this one another id',
      },
    ]);
  });

  it('the same layer id with the same size in two services is the point of sharing, not an error', () => {
    const text = `${head}  - { name: a, instances: 1, app: { memory: 1MiB }, image: { layers: [ { id: base, size: 10MiB } ] } }\n  - { name: b, instances: 1, app: { memory: 1MiB }, image: { layers: [ { id: base, size: 10MiB } ] } }\n`;
    expect(parseScenarioText(text, 's.yaml', catalog).services).toHaveLength(2);
  });

  it('a VM image id means one size, also when a service inherits the id and overrides the size', () => {
    const text = `${head}  - { name: a, instances: 1, app: { memory: 1MiB }, image: { ref: a } }\n  - { name: b, instances: 1, app: { memory: 1MiB }, image: { ref: a }, vm: { image: { size: 3GiB } } }\n`;
    expect(problems(text)).toEqual([
      {
        file: 's.yaml',
        path: 'services[1].vm.image.size',
        line: 5,
        message:
          'VM image "debian-12-cloud" is 3.00 GiB here but 2.00 GiB at services[0] (line 4), which uses the default VM image; the same image id means the same image, so give this one its own id',
      },
    ]);
  });

  it('modify writes at most the file size; create starts from size 0', () => {
    const text = `${head}  - name: a\n    instances: 1\n    image: { ref: a }\n    app:\n      memory: 1MiB\n      files:\n        - { path: /f, size: 1MiB, write: 1MiB, mode: modify }\n        - { path: /g, size: 1MiB, write: 1025KiB, mode: modify }\n        - { path: /h, size: 1B, write: 1B, mode: create }\n`;
    expect(problems(text).map(({ path, line, message }) => ({ path, line, message }))).toEqual([
      // /f: a 1 MiB write into a 1 MiB file is allowed (write <= size).
      {
        path: 'services[0].app.files[1].write',
        line: 11,
        message: 'a modify write larger than the file it modifies: writes 1.00 MiB into a file of 1.00 MiB; use append to grow a file, or make write at most size',
      },
      {
        path: 'services[0].app.files[2].size',
        line: 12,
        message: 'mode "create" makes a new file, so size must be 0 (it is 1 B); for a file already in the image use append, modify or overwrite',
      },
    ]);
  });

  it('an image needs layers or a ref', () => {
    const text = `${head}  - { name: a, instances: 1, app: { memory: 1MiB }, image: { layers: [] } }\n`;
    expect(problems(text)).toMatchObject([{ path: 'services[0].image', line: 4, message: expect.stringMatching(/^needs "layers"/) }]);
  });

  it('an app must fit in its VM', () => {
    const text = `${head}  - { name: a, instances: 1, app: { memory: 600MiB }, image: { ref: a }, vm: { memory: 512MiB } }\n`;
    expect(problems(text)).toMatchObject([{ path: 'services[0].app.memory', line: 4, message: expect.stringContaining('the app needs 600 MiB but its VM has 512 MiB of memory') }]);
  });

  it('total instances over all services are capped at 10,000,000', () => {
    const service = (name: string) => `  - { name: ${name}, instances: 4000000, app: { memory: 1MiB }, image: { ref: a } }\n`;
    expect(problems(head + service('a') + service('b') + service('c'))).toMatchObject([
      { path: 'services', line: 3, message: 'add up to 12,000,000 instances; a scenario may have at most 10,000,000' },
    ]);
  });

  it('reports rule problems together with shape problems', () => {
    const text = `${head}  - { name: web, instances: 0, app: { memory: 1MiB }, image: { ref: a } }\n  - { name: web, instances: 1, app: { memory: 1MiB }, image: { ref: a } }\n`;
    expect(problems(text).map((problem) => problem.path)).toEqual(['services[0].instances', 'services[1].name']);
  });
});
