// Fleets: `{ template, count }` stands for N similar services, each with its own name and top layer.

import { describe, expect, it } from 'vitest';
import { InputError, type Problem } from '../../src/errors.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { describeServices } from '../../src/report/view.js';

const catalog = builtinCatalog();

const FLEET = `name: fleet
description: Forty similar services, two instances each.
services:
  - name: gateway
    instances: 1
    app: { memory: 32MiB }
    image: { layers: [{ id: debian-12, size: 120MiB }, { id: gateway, size: 5MiB }] }
  - count: 40
    template:
      name: svc-{i}
      instances: 2
      app:
        memory: 64MiB
        files: [{ path: "/var/log/svc-{i}.log", size: 0, write: 1MiB, mode: create }]
      image:
        layers:
          - { id: debian-12, size: 120MiB }
          - { id: svc-app, size: 15MiB }
`;

function problemsOf(text: string): Problem[] {
  try {
    parseScenarioText(text, 'fleet.yaml', catalog);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error('accepted');
}

describe('template + count', () => {
  it('expands into N services with {i} replaced and a top layer of their own', () => {
    const scenario = parseScenarioText(FLEET, 'fleet.yaml', catalog);
    // 1 gateway + 40 copies; 1 + 40 x 2 = 81 instances.
    expect(scenario.services).toHaveLength(41);
    expect(scenario.totalInstances).toBe(81);
    const svc7 = scenario.services[7]!;
    expect(svc7.name).toBe('svc-7');
    expect(svc7.app.files[0]!.path).toBe('/var/log/svc-7.log');
    // The shared base keeps its id (stored once); the top layer is svc-app-7, one per service.
    expect(svc7.image.layers.map((l) => l.id)).toEqual(['debian-12', 'svc-app-7']);
    expect(new Set(scenario.services.map((s) => s.image.layers.at(-1)!.id)).size).toBe(41);
    expect(describeServices(scenario.services)).toBe('40 services x 2, 1 service x 1');
  });

  it('names without {i} get "-i"; a layer id with {i} is used as written', () => {
    const text = FLEET.replace('name: svc-{i}', 'name: svc').replace('id: svc-app,', 'id: "app-{i}",');
    const scenario = parseScenarioText(text, 'fleet.yaml', catalog);
    expect(scenario.services[1]!.name).toBe('svc-1');
    expect(scenario.services[40]!.image.layers.map((l) => l.id)).toEqual(['debian-12', 'app-40']);
  });

  it('points a problem in the template at the template, once, not at 40 copies', () => {
    const problems = problemsOf(FLEET.replace('memory: 64MiB', 'memory: 64M'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'services[1].template.app.memory', line: 13, suggestion: '64MiB' });
  });

  it('refuses a count out of range and fields beside the template', () => {
    const problems = problemsOf(FLEET.replace('count: 40', 'count: 0\n    instances: 3'));
    expect(problems.map((p) => p.path)).toEqual(['services[1].count', 'services[1].instances']);
    expect(problems[1]!.message).toMatch(/put "instances" inside the template/);
  });
});
