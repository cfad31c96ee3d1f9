import { describe, expect, it } from 'vitest';
import { DOCKER_FLAVOUR, engineFailure } from '../../../src/backends/shared/docker-client.js';
import { managerGone } from '../../../src/backends/swarm/engine.js';
import { swarmBackend } from '../../../src/backends/swarm/index.js';
import { epochMs, markerOf } from '../../../src/backends/swarm/log-lines.js';
import { outcomeOf } from '../../../src/backends/swarm/run.js';
import { KiB, MiB, scenario, service } from '../docker/fixtures.js';

describe('swarm log lines', () => {
  it('reads the engine timestamp to the sub-millisecond', () => {
    // 2024-05-01T10:00:00Z is 1714557600000 ms; .123456789 s adds 123.456789 ms.
    expect(epochMs('2024-05-01T10:00:00.123456789Z')).toBeCloseTo(1714557600123.457, 2);
    expect(epochMs('2024-05-01T10:00:00Z')).toBe(1714557600000);
    expect(epochMs('not a time')).toBeNaN();
  });

  it('finds the markers after the timestamp, and nothing on other lines', () => {
    expect(markerOf('2024-05-01T10:00:00.5Z ISOBENCH_READY')).toEqual({ kind: 'ready', atMs: 1714557600500 });
    expect(markerOf('2024-05-01T10:00:01Z ISOBENCH_FAILED could not hold 5 bytes')).toEqual({ kind: 'failed', atMs: 1714557601000, reason: 'could not hold 5 bytes' });
    expect(markerOf('2024-05-01T10:00:01Z hello')).toBeUndefined();
    expect(markerOf('ISOBENCH_READY')).toBeUndefined();
  });
});

describe('swarm task outcome', () => {
  it('splits a task start into orchestrate, to running and app from the request', () => {
    // Requested at 1000, task created at 1030, running at 1500, ready at 1520, batch started at 900:
    // phases 30 / 470 / 20, start 520 ms, requested 100 ms and ready 620 ms into the batch.
    const done = Promise.resolve(undefined);
    const outcome = outcomeOf({ state: 'ready', slot: 1, nodeId: 'n1', containerId: 'c1', createdAtMs: 1030, runningAtMs: 1500, readyAtMs: 1520, done }, 'web', 1000, 900);
    expect(outcome).toEqual({
      state: 'ready',
      index: 0,
      service: 'web',
      id: 'c1',
      phases: { orchestrate: 30, 'to running': 470, app: 20 },
      requestedAtMs: 100,
      startupMs: 520,
      readyAtMs: 620,
      wave: 0,
    });
  });

  it('keeps a failed slot as a failure with its reason', () => {
    const outcome = outcomeOf({ state: 'failed', slot: 2, containerId: null, reason: 'timeout', message: 'no ready marker' }, 'web', 1000, 900);
    expect(outcome).toMatchObject({ state: 'failed', service: 'web', reason: 'timeout', id: null });
  });
});

describe('swarm as-run model', () => {
  it('models docker-runc with every replica started at once, and says why', () => {
    const s = scenario('s', [service('web', 3, [['t', 1 * MiB]], { memoryBytes: 4 * MiB, files: [{ path: '/a', sizeBytes: 0, writeBytes: 4 * KiB, mode: 'create' }] })], 1);
    const crun = { ...s, services: s.services.map((x) => ({ ...x, container: { ...x.container, runtime: 'crun' } })) };
    const modeled = swarmBackend.modelAsRun(crun, undefined as never);
    expect(modeled.scenario.services.map((x) => x.container.runtime)).toEqual(['docker-runc']);
    // 3 instances, concurrency 1 in the scenario: Swarm starts all 3 at once.
    expect(modeled.scenario.concurrency).toBe(3);
    expect(modeled.notes.join(' ')).toMatch(/crun/);
    expect(modeled.notes.join(' ')).toMatch(/Swarm's own cost/);
    expect(modeled.notes.join(' ')).toMatch(/concurrency 3/);
  });
});

describe('a swarm manager that goes away mid-run', () => {
  const endpoint = 'unix:///var/run/docker.sock';
  it("reads HTTP 503 'not a swarm manager' as the daemon stopping, with what to do; passes other errors through", () => {
    const refusal = Object.assign(new Error('x'), { statusCode: 503, json: { message: 'This node is not a swarm manager. Use "docker swarm init"' } });
    const raw = engineFailure(endpoint, DOCKER_FLAVOUR, 'remove service', refusal);
    const read = managerGone(endpoint, 'remove service', raw) as Error;
    expect(read.message).toMatch(
      /^the Docker engine at unix:\/\/\/var\/run\/docker\.sock stopped being a swarm manager during remove service \(HTTP 503: the daemon is stopping, or the node left the swarm\); start it again/,
    );
    const other = engineFailure(endpoint, DOCKER_FLAVOUR, 'create service', Object.assign(new Error('x'), { statusCode: 409, json: { message: 'name conflicts' } }));
    expect(managerGone(endpoint, 'create service', other)).toBe(other);
  });
});
