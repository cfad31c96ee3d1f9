import { describe, expect, it } from 'vitest';
import type { InstanceOutcome } from '../../../src/backends/shared/instances.js';
import { batchStartup, timelineOf } from '../../../src/backends/shared/startup.js';

const ready = (index: number, service: string, at: number, phases: Record<string, number>): InstanceOutcome => {
  const ms = Object.values(phases).reduce((a, b) => a + b, 0);
  return { state: 'ready', index, service, id: `${index}`, phases, requestedAtMs: at, startupMs: ms, readyAtMs: at + ms, wave: 0 };
};

describe('batch startup figures', () => {
  it('first and all ready from the batch start; all-ready is null when one instance never got ready', () => {
    const failed: InstanceOutcome = { state: 'failed', index: 2, service: 'a', id: null, reason: 'timeout', message: 't' };
    expect(batchStartup([ready(0, 'a', 0, { x: 10 }), ready(1, 'a', 5, { x: 20 })])).toEqual({ startupFirstMs: 10, startupAllMs: 25, startupP50Ms: 15, startupP99Ms: 19.9 });
    expect(batchStartup([ready(0, 'a', 0, { x: 10 }), failed]).startupAllMs).toBeNull();
    expect(batchStartup([failed])).toEqual({ startupFirstMs: null, startupAllMs: null, startupP50Ms: null, startupP99Ms: null });
  });
});

describe('timeline', () => {
  it('lays the phases end to end from the request, indexed per service', () => {
    expect(timelineOf([ready(0, 'a', 0, { create: 10, start: 5 }), ready(1, 'b', 3, { create: 2 })])).toEqual([
      {
        service: 'a',
        index: 0,
        requestedMs: 0,
        readyMs: 15,
        phases: [
          { label: 'create', startMs: 0, endMs: 10 },
          { label: 'start', startMs: 10, endMs: 15 },
        ],
      },
      { service: 'b', index: 0, requestedMs: 3, readyMs: 5, phases: [{ label: 'create', startMs: 3, endMs: 5 }] },
    ]);
  });
});
