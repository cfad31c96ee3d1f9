// Near misses a new user writes (issue 13): each gets its hint, and every problem of a file shows in
// one pass, including the cross-field rules whose own fields are valid while a sibling is not.

import { describe, expect, it } from 'vitest';
import { InputError, type Problem } from '../../src/errors.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { suggest } from '../../src/scenario/suggest.js';

const catalog = builtinCatalog();

function problemsOf(text: string): Problem[] {
  try {
    parseScenarioText(text, 'near.yaml', catalog);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error('accepted');
}

const NEAR_MISSES = `name: near-misses
description: Every near miss of issue 13 in one file.
container: { runtime: docker }
vm: { hypervisor: kvm, memory: 64G }
services:
  - name: web
    replicas: 2
    app:
      memory: 2GiB
      files:
        - { path: /var/log/a.log, size: 10MiB, write: 1M, mode: create }
    image:
      layers: [{ id: base, size: 10MiB }]
    vm: { memory: 1GiB }
`;

describe('near misses', () => {
  const problems = problemsOf(NEAR_MISSES);
  const at = (path: string) => problems.filter((p) => p.path === path);

  it.each([
    ['services[0].replicas', 'instances'],
    ['container.runtime', 'docker-runc'],
    ['vm.hypervisor', 'qemu-kvm'],
    ['vm.memory', '64GiB'],
    ['services[0].app.files[0].write', '1MiB'],
  ])('%s gets the hint "%s"', (path, hint) => {
    expect(at(path).map((p) => p.suggestion)).toEqual([hint]);
  });

  it('reports the rules in the same pass as the field errors', () => {
    // The create-with-a-size rule holds although write ("1M") is wrong; the app (2 GiB) is larger
    // than its VM (1 GiB, the service's own vm.memory) although the top-level hypervisor is wrong.
    expect(at('services[0].app.files[0].size')[0]?.message).toMatch(/mode "create" makes a new file/);
    expect(at('services[0].app.memory')[0]?.message).toMatch(/the app needs 2.00 GiB but its VM has 1.00 GiB/);
    // 5 hinted fields + instances missing + the 2 rules = 8 problems, in line order.
    expect(problems).toHaveLength(8);
    expect(problems.map((p) => p.line)).toEqual([...problems.map((p) => p.line)].sort((a, b) => (a ?? 0) - (b ?? 0)));
  });

  it('does not guess a VM size when the VM memory itself is wrong', () => {
    const text = NEAR_MISSES.replace('vm: { memory: 1GiB }', 'vm: { memory: 1G }');
    expect(problemsOf(text).filter((p) => p.path === 'services[0].app.memory')).toEqual([]);
  });
});

describe('suggest: synonyms and name parts', () => {
  it('maps words from other tools only onto a candidate that exists', () => {
    expect(suggest('replicas', ['name', 'instances'])).toBe('instances');
    expect(suggest('replicas', ['name', 'app'])).toBeUndefined();
    expect(suggest('G', ['KiB', 'MiB', 'GiB'])).toBe('GiB');
    // "m" is MiB among sizes but nothing among durations (ms, s, min): too short to guess.
    expect(suggest('m', ['ms', 's', 'min'])).toBeUndefined();
  });
  it('finds a unique name that has the word as a dash-separated part', () => {
    expect(suggest('firecracker', ['qemu-kvm', 'firecracker'])).toBe('firecracker');
    expect(suggest('hypervisor', ['qemu-kvm', 'cloud-hypervisor'])).toBe('cloud-hypervisor');
    // "runc" is a part of two runtimes: the synonym table decides (docker-runc, Docker's default).
    expect(suggest('runc', ['docker-runc', 'crun', 'containerd-runc'])).toBe('docker-runc');
    // "qemu" is a part of two hypervisors and not otherwise decided here: no guess.
    expect(suggest('vm', ['qemu-kvm', 'qemu-tcg'])).toBeUndefined();
  });
});

describe('YAML syntax errors', () => {
  it('lists the first three and counts the follow-on ones; an unquoted {i} gets its hint', () => {
    const text = `name: f\ndescription: d\nservices:\n  - count: 2\n    template:\n      name: s\n      instances: 1\n      app: { memory: 64MiB, files: [{ path: /var/log/s-{i}.log, size: 0, write: 1MiB, mode: create }] }\n      image: { layers: [{ id: a, size: 1MiB }] }\n`;
    const problems = problemsOf(text);
    // yaml reports a cascade from line 8; 3 shown + 1 counting the rest.
    expect(problems).toHaveLength(4);
    expect(problems[0]!.line).toBe(8);
    expect(problems[0]!.message).toContain('must be quoted');
    expect(problems[3]!.message).toMatch(/^\.\.\. and \d+ more YAML syntax errors/);
  });
});
