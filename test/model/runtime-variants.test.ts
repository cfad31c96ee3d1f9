import { describe, expect, it } from 'vitest';
import { evaluateScenario } from '../../src/model/evaluate.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { resultKey } from '../../src/compare/result-key.js';

const catalog = builtinCatalog();
const text = `name: rt
description: which runtime?
container: { runtime: [docker-runc, docker-runsc] }
services:
  - name: api
    instances: 2
    app: { memory: 16MiB }
    image: { layers: [{ id: base, size: 8MiB }] }
`;

describe('runtime comparison in the model', () => {
  it('gives one container result per runtime, keyed apart, the sandbox adding its memory', () => {
    const results = evaluateScenario(parseScenarioText(text, 'f.yaml', catalog), catalog);
    const containers = results.filter((r) => r.platform === 'container');
    expect(containers.map((r) => [r.runtime, r.profile])).toEqual([
      ['docker-runc', 'docker-runc'],
      ['docker-runsc', 'docker-runsc'],
    ]);
    expect(containers.map(resultKey)).toEqual(['container[docker-runc]/model', 'container[docker-runsc]/model']);
    // runsc's profile adds its sandbox (12 MiB, runtimes.ts) per instance and nothing else to memory.
    const [runc, runsc] = containers.map((r) => r.metrics.memoryPerInstanceBytes);
    expect(runsc! - runc!).toBe(12 * 1024 ** 2);
    // Its OCI runtime step is 180 ms against runc's 33.4 ms: slower to start.
    expect(containers[1]!.metrics.startupFirstMs).toBeGreaterThan(containers[0]!.metrics.startupFirstMs!);
    expect(results.map((r) => r.platform)).toEqual(['process', 'container', 'container', 'vm']);
  });
});
