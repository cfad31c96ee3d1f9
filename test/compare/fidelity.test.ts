import { describe, expect, it } from 'vitest';
import { fidelityRows, missNote } from '../../src/compare/fidelity.js';
import { emptyMetrics, type Metrics, type PlatformResult } from '../../src/report/types.js';

const MiB = 1024 ** 2;

function result(backend: PlatformResult['backend'], values: Partial<Metrics>, extra: Partial<PlatformResult> = {}): PlatformResult {
  return {
    platform: 'container',
    backend,
    state: 'completed',
    profile: 'docker-runc',
    provenance:
      backend === 'model'
        ? { kind: 'modeled', profile: 'docker-runc', profileSource: 'built-in' }
        : { kind: 'measured', engine: backend, engineVersion: '1', scale: 0.05, instancesMeasured: 6, instancesRequested: 6, repetitions: 5 },
    metrics: { ...emptyMetrics(), ...values },
    breakdown: { startup: [], memory: [], disk: [], capacity: [] },
    ...extra,
  };
}

describe('fidelity of the model as run', () => {
  it('judges each metric against its family goal; a measured 0 is a miss; unmeasured is said', () => {
    const model = result('model', { startupFirstMs: 300, startupAllMs: 500, memoryPerInstanceBytes: 30 * MiB, diskPerInstanceBytes: 100, diskSharedBytes: 2 * MiB });
    const measured = result('docker', { startupFirstMs: 400, startupAllMs: 520, memoryPerInstanceBytes: null, diskPerInstanceBytes: 0, diskSharedBytes: 2 * MiB });
    const rows = fidelityRows(model, measured);
    // first ready: (300 - 400) / 400 = -25%: on the goal, ok. all ready: -20/520 = -3.8%: ok.
    // memory per instance not measured; disk per instance measured 0 against 100 B: a miss; disk shared 0%: ok.
    expect(rows.map((r) => [r.key, r.verdict])).toEqual([
      ['startupFirstMs', 'ok'],
      ['startupAllMs', 'ok'],
      ['memoryPerInstanceBytes', 'not measured'],
      ['diskSharedBytes', 'ok'],
      ['diskPerInstanceBytes', 'MISS'],
    ]);
    expect(rows.find((r) => r.key === 'startupFirstMs')?.error).toBe(-0.25);
    expect(rows.find((r) => r.key === 'diskPerInstanceBytes')?.error).toBe(Number.POSITIVE_INFINITY);
  });

  it('gives QEMU the looser disk goal (10%)', () => {
    const model = result('model', { diskPerInstanceBytes: 108 });
    // (108 - 100) / 100 = 8%: a miss against 5%, within QEMU's 10%.
    expect(fidelityRows(model, result('docker', { diskPerInstanceBytes: 100 }))[0]?.verdict).toBe('MISS');
    expect(fidelityRows(model, result('qemu', { diskPerInstanceBytes: 100 }))[0]?.verdict).toBe('ok');
  });

  it('says nothing when every figure is within its goal', () => {
    const model = result('model', { startupFirstMs: 110, memoryPerInstanceBytes: 31 * MiB });
    expect(missNote(model, result('docker', { startupFirstMs: 100, memoryPerInstanceBytes: 30 * MiB }), { cpus: 2, busyCpusBefore: 1.5 })).toBeUndefined();
  });

  it('names each miss with the causes its data shows: a busy machine, wide batches, the daemons, ', () => {
    const model = result('model', { startupFirstMs: 276, startupAllMs: 416, memorySharedBytes: 80 * MiB, diskSharedBytes: 1 * MiB });
    const measured = result(
      'docker',
      { startupFirstMs: 469, startupAllMs: 619, memorySharedBytes: 160 * MiB, diskSharedBytes: 2.5 * MiB },
      {
        stats: { startupFirstMs: { samples: [400, 538], mean: 469, p50: 469, p99: 538, rme: 0.295 } },
        notes: ['api: layer alpine-3-22 (419430 bytes) is smaller than busybox (1982256 bytes), which it holds'],
      },
    );
    // first: (276 - 469) / 469 = -41.2% -> -41%; all: (416 - 619) / 619 = -32.8% -> -33%;
    // memory shared: (80 - 160) / 160 = -50%; disk shared: (1 - 2.5) / 2.5 = -60%.
    expect(missNote(model, measured, { cpus: 2, busyCpusBefore: 1.6 })).toBe(
      'model as run misses the fidelity goals: startup first ready -41%, startup all ready -33% (goal ±25%): ' +
        'the measured batches spread wider than the goal (first ready ±30%): more --repetitions narrow it; ' +
        'the machine was busy with other work as the run began (1.6 of 2 CPUs): measured starts competed with it, the model sees only the scenario. ' +
        "memory shared -50% (goal ±20%): shared memory measured is the engine's daemons as they are now (160 MiB, which grows with the images and containers they have served since they started) " +
        "against the profile's 80.0 MiB; `isobench calibrate` records this host's. " +
        'disk shared -60% (goal ±5%). ' +
        '`npm run bench:fidelity` names the model part that disagrees',
    );
  });

  it('does not blame a quiet machine (under a quarter of its CPUs busy)', () => {
    const note = missNote(result('model', { startupFirstMs: 200 }), result('docker', { startupFirstMs: 400 }), { cpus: 2, busyCpusBefore: 0.4 });
    // (200 - 400) / 400 = -50%; 0.4 of 2 CPUs is below the 0.5 threshold: no cause is named.
    expect(note).toBe('model as run misses the fidelity goals: startup first ready -50% (goal ±25%). `npm run bench:fidelity` names the model part that disagrees');
  });

  it('names block rounding when a disk miss is a few KiB on a small figure', () => {
    // 12,288 B modeled (3 blocks of 4 KiB) against 10,240 B written: +20%, 2 KiB apart.
    const note = missNote(result('model', { diskPerInstanceBytes: 12_288 }), result('docker', { diskPerInstanceBytes: 10_240 }), { cpus: 2, busyCpusBefore: null });
    expect(note).toBe(
      'model as run misses the fidelity goals: disk per instance +20% (goal ±5%): disk per instance differs by 2.00 KiB: the model counts whole 4 KiB blocks, the engines count bytes (SizeRw, apparent sizes), a large share of a figure this small; a larger --real-scale shrinks it. `npm run bench:fidelity` names the model part that disagrees',
    );
  });
});
