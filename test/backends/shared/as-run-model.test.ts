// What every real backend models as run: warm cache, no arrivals, no lifetimes (a real run starts
// its instances as concurrency allows and measures them before removing them).

import { describe, expect, it } from 'vitest';
import { asMeasured } from '../../../src/backends/shared/as-run-model.js';
import { scenario, service } from '../../model/scenario-fixture.js';

describe('asMeasured', () => {
  it('leaves a warm, all-at-once scenario as it is, without notes', () => {
    const s = scenario();
    expect(asMeasured(s)).toEqual({ scenario: s, notes: [] });
  });

  it('drops the cold cache, the arrival stream and the lifetimes, one note each', () => {
    const s = scenario([service({ app: { memoryBytes: 1, startupMs: 1, files: [], lifetimeMs: 90_000 } })], { cache: 'cold', arrival: { everyMs: 18_000 } });
    const { scenario: modeled, notes } = asMeasured(s);
    expect(modeled.cache).toBe('warm');
    expect(modeled.arrival).toBeNull();
    expect(modeled.services[0]!.app.lifetimeMs).toBeNull();
    expect(notes).toHaveLength(3);
    expect(s.cache).toBe('cold'); // the input is untouched
  });

  it('models one host (this machine) for a cluster scenario, unless the backend spreads over hosts itself', () => {
    const s = { ...scenario(), cluster: { hosts: 3, placement: 'spread' as const } };
    const { scenario: modeled, notes } = asMeasured(s);
    expect(modeled.cluster).toBeUndefined();
    expect(notes).toEqual(['modeled on one host, as measured: every instance ran on this machine (the scenario asks for 3 hosts)']);
    // Swarm decides the hosts from the nodes its tasks ran on: the cluster stays for it.
    expect(asMeasured(s, { oneHost: false }).scenario.cluster).toEqual({ hosts: 3, placement: 'spread' });
  });
});
