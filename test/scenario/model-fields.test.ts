// The model's scenario fields: arrival (every / perMinute), app.lifetime, vm.kernel.

import { describe, expect, it } from 'vitest';
import { InputError, type Problem } from '../../src/errors.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { parseScenarioText } from '../../src/scenario/load.js';

const catalog = builtinCatalog();
const text = (top: string, app = '', vm = '') => `name: jobs\ndescription: Jobs.\n${top}services:\n  - name: job\n    instances: 3\n    app: { memory: 64MiB${app} }\n    image: { ref: a }\n${vm}`;
const parse = (t: string) => parseScenarioText(t, 's.yaml', catalog);
function problems(t: string): Problem[] {
  try {
    parse(t);
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error('accepted');
}

describe('arrival, lifetime and guest kernel', () => {
  it('arrival every 18s and a 90 s lifetime become milliseconds', () => {
    const s = parse(text('arrival: { every: 18s }\n', ', lifetime: 90s'));
    expect(s.arrival).toEqual({ everyMs: 18_000 });
    expect(s.services[0]!.app.lifetimeMs).toBe(90_000);
  });
  it('arrival perMinute 200 is one every 300 ms', () => {
    expect(parse(text('arrival: { perMinute: 200 }\n')).arrival).toEqual({ everyMs: 300 });
  });
  it('absent fields stay absent: all at once, instances stay up, the hypervisor picks the kernel', () => {
    const s = parse(text(''));
    expect(s.arrival).toBeUndefined();
    expect(s.services[0]!.app.lifetimeMs).toBeUndefined();
    expect(s.services[0]!.vm.kernel).toBeUndefined();
  });
  it('vm.kernel is minimal or distro, per service over the top level', () => {
    const s = parse(text('vm: { kernel: distro }\n', '', '    vm: { kernel: minimal }\n'));
    expect(s.services[0]!.vm.kernel).toBe('minimal');
    expect(problems(text('vm: { kernel: tiny }\n'))).toMatchObject([{ path: 'vm.kernel', line: 3 }]);
  });
  it('arrival needs exactly one of every and perMinute', () => {
    expect(problems(text('arrival: { every: 1s, perMinute: 3 }\n'))).toMatchObject([{ path: 'arrival', line: 3, message: expect.stringContaining('exactly one of') }]);
    expect(problems(text('arrival: {}\n'))).toMatchObject([{ path: 'arrival', message: expect.stringContaining('exactly one of') }]);
  });
  it('a lifetime or an interval of 0, or a negative rate, is refused', () => {
    expect(problems(text('', ', lifetime: 0'))).toMatchObject([{ path: 'services[0].app.lifetime' }]);
    expect(problems(text('arrival: { every: 0s }\n'))).toMatchObject([{ path: 'arrival.every' }]);
    expect(problems(text('arrival: { perMinute: -2 }\n'))).toMatchObject([{ path: 'arrival.perMinute' }]);
  });
  it('unknown arrival fields get a suggestion', () => {
    expect(problems(text('arrival: { evry: 1s }\n'))[0]).toMatchObject({ path: 'arrival.evry', suggestion: 'every' });
  });
});
