// A hand-made report for renderer tests: two scenarios, one with a Docker measurement.

import type { Metrics, PlatformResult, Report } from '../../src/report/types.js';
import { GiB, MiB, metrics, noBreakdown as empty, serverHost as host } from '../fixtures/report-parts.js';

function model(platform: PlatformResult['platform'], profile: string, values: Partial<Metrics>, breakdown = empty): PlatformResult {
  return {
    platform,
    backend: 'model',
    state: 'completed',
    profile,
    provenance: { kind: 'modeled', profile, profileSource: 'built-in' },
    metrics: metrics(values),
    breakdown,
  };
}

/** Hand-picked round figures so every ratio and error is easy to check by eye. */
export function fixtureReport(): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'isobench', version: '0.1.0' },
    runId: '20261105-120301-abcdef',
    createdAt: '2026-11-05T12:03:01.000Z',
    partial: false,
    environment: { node: 'v20.19.0', os: 'linux', arch: 'x64', kernel: '6.1.0', cpus: 2, memoryBytes: 24 * GiB, engines: {} },
    notes: [],
    scenarios: [
      {
        name: 'web-app',
        file: 'scenarios/web-app.yaml',
        description: 'One small web app, three replicas.',
        totalInstances: 3,
        concurrency: 3,
        cache: 'warm',
        host,
        services: [{ name: 'api', instances: 3 }],
        results: [
          model('process', 'process', {
            startupFirstMs: 250,
            startupAllMs: 260,
            startupP50Ms: 255,
            startupP99Ms: 260,
            memorySharedBytes: 0,
            memoryPerInstanceBytes: 100 * MiB,
            memoryTotalBytes: 300 * MiB,
            diskSharedBytes: 195 * MiB,
            diskPerInstanceBytes: 2 * MiB,
            diskTotalBytes: 201 * MiB,
            maxInstances: 300,
            hostsNeeded: 1,
          }),
          model(
            'container',
            'docker-runc',
            {
              startupFirstMs: 500,
              startupAllMs: 600,
              startupP50Ms: 550,
              startupP99Ms: 600,
              memorySharedBytes: 100 * MiB,
              memoryPerInstanceBytes: 110 * MiB,
              memoryTotalBytes: 430 * MiB,
              diskSharedBytes: 195 * MiB,
              diskPerInstanceBytes: 102 * MiB,
              diskTotalBytes: 501 * MiB,
              maxInstances: 280,
              hostsNeeded: 1,
            },
            {
              startup: [{ label: 'create', value: 120, unit: 'ms', note: 'daemon create', children: [{ label: 'layer setup', value: 20, unit: 'ms' }] }],
              memory: [{ label: 'shim', value: 8 * MiB, unit: 'bytes', note: 'per container' }],
              disk: [],
              capacity: [{ label: 'limited by memory', value: 280, unit: 'count' }],
            },
          ),
          model('vm', 'qemu-kvm', {
            startupFirstMs: 5000,
            startupAllMs: 12000,
            startupP50Ms: 8000,
            startupP99Ms: 12000,
            memorySharedBytes: 0,
            memoryPerInstanceBytes: 512 * MiB,
            memoryTotalBytes: 1536 * MiB,
            diskSharedBytes: 2 * GiB,
            diskPerInstanceBytes: 110 * MiB,
            diskTotalBytes: 2378 * MiB,
            maxInstances: 60,
            hostsNeeded: 1,
          }),
        ],
      },
      {
        name: 'ci-jobs',
        file: '/tmp/ci-jobs.yaml',
        description: 'Ephemeral CI jobs.',
        totalInstances: 40,
        concurrency: 8,
        cache: 'cold',
        host: { ...host, preset: null, ksm: true },
        services: [
          { name: 'build', instances: 30 },
          { name: 'test', instances: 10 },
        ],
        results: [
          model('container', 'docker-runc', { startupAllMs: 2000, memoryTotalBytes: GiB, diskTotalBytes: 4 * GiB, maxInstances: 200 }),
          model('vm', 'qemu-tcg', { startupAllMs: 50000, memoryTotalBytes: 20 * GiB, diskTotalBytes: 10 * GiB, maxInstances: 50 }),
          {
            ...model('container', 'docker-runc', { startupAllMs: 800, memoryTotalBytes: 500 * MiB, diskTotalBytes: 400 * MiB }),
            asRun: { scale: 0.1, instances: 20, instancesRequested: 40, host: 'this machine: 2 cpus, 24 GiB' },
          },
          {
            platform: 'container',
            backend: 'docker',
            state: 'completed',
            profile: 'docker-runc',
            provenance: {
              kind: 'measured',
              engine: 'docker',
              engineVersion: '20.10.24',
              scale: 0.1,
              instancesMeasured: 20,
              instancesRequested: 40,
              repetitions: 5,
            },
            metrics: metrics({ startupAllMs: 1000, memoryTotalBytes: 400 * MiB, diskTotalBytes: 400 * MiB }),
            breakdown: empty,
            stats: { startupAllMs: { samples: [900, 1000, 1100], mean: 1000, p50: 1000, p99: 1100, rme: 0.025 } },
            notes: ['instances capped at 20 of 40 (--real-max-instances 20)'],
          },
        ],
      },
    ],
  };
}
