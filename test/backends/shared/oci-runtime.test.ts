import { describe, expect, it } from 'vitest';
import { chooseRuntime } from '../../../src/backends/shared/oci-runtime.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { scenario, service } from '../docker/fixtures.js';

function on(...runtimes: string[]): Scenario {
  const base = scenario(
    's',
    runtimes.map((_, i) => service(`s${i}`, 1, [['l', 1]])),
  );
  return { ...base, services: base.services.map((s, i) => ({ ...s, container: { runtime: runtimes[i]! } })) };
}

describe('chooseRuntime', () => {
  it("runs the scenario's own runtime when the engine has it", () => {
    expect(chooseRuntime(on('docker-runsc'), 'docker', ['runc', 'runsc'], 'runc')).toEqual({ profile: 'docker-runsc', runtime: 'runsc', notes: [] });
  });
  it("falls back to the engine's default for another engine's profile, and says so", () => {
    const choice = chooseRuntime(on('podman-crun'), 'docker', ['runc'], 'runc');
    expect(choice).toMatchObject({ profile: 'docker-runc', runtime: 'runc' });
    expect(choice instanceof Error ? '' : choice.notes[0]).toContain('the scenario names podman-crun');
  });
  it('refuses a runtime of this engine that is not registered, saying how to register it', () => {
    const choice = chooseRuntime(on('docker-runsc'), 'docker', ['runc'], 'runc');
    expect(choice).toBeInstanceOf(Error);
    expect((choice as Error).message).toMatch(/docker has no runtime runsc .*setup-engines.sh runtimes/);
  });
  it('refuses two runtimes of one engine in one run', () => {
    expect(chooseRuntime(on('docker-runc', 'docker-crun'), 'docker', ['runc', 'crun'], 'runc')).toBeInstanceOf(Error);
  });
});
