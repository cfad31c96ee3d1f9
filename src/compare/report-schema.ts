// The zod schema of a report file (src/report/types.ts), used to check reports given to `compare`.
// Objects are not strict: a newer writer may add optional fields, which a reader must tolerate.

import { z } from 'zod';
import { METRIC_KEYS, PLATFORMS, SCHEMA_VERSION } from '../report/types.js';

const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const count = z.number().int().nonnegative();
const unit = z.enum(['ms', 'bytes', 'count']);
const metricKey = z.enum(METRIC_KEYS);

/** Metrics added after a report was written are missing from it: read as null (load-report fills them in). */
export const METRICS_ADDED_LATER: readonly (typeof METRIC_KEYS)[number][] = ['hostsNeeded', 'memoryUniqueBytes'];

const metrics = z.object(
  Object.fromEntries(METRIC_KEYS.map((key) => [key, METRICS_ADDED_LATER.includes(key) ? finite.nullable().default(null) : finite.nullable()])) as Record<
    (typeof METRIC_KEYS)[number],
    z.ZodNullable<typeof finite>
  >,
);

interface BreakdownItemShape {
  label: string;
  value: number;
  unit: 'ms' | 'bytes' | 'count';
  note?: string | undefined;
  children?: BreakdownItemShape[] | undefined;
}

const breakdownItem: z.ZodType<BreakdownItemShape> = z.object({
  label: z.string(),
  value: finite,
  unit,
  note: z.string().optional(),
  get children() {
    return z.array(breakdownItem).optional();
  },
});

const breakdown = z.object({
  startup: z.array(breakdownItem),
  memory: z.array(breakdownItem),
  disk: z.array(breakdownItem),
  capacity: z.array(breakdownItem),
});

const sampleStats = z.object({
  samples: z.array(finite),
  mean: finite,
  p50: finite,
  p99: finite,
  rme: finite,
});

const provenance = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('modeled'), profile: z.string(), profileSource: z.string() }),
  z.object({
    kind: z.literal('measured'),
    engine: z.string(),
    engineVersion: z.string().nullable(),
    accelerator: z.enum(['kvm', 'tcg']).optional(),
    runtime: z.string().optional(),
    runtimeVersion: z.string().nullable().optional(),
    scale: finite.positive(),
    instancesMeasured: count,
    instancesRequested: count,
    repetitions: count,
  }),
]);

const fit = z.object({ fits: z.boolean(), limitedBy: z.enum(['memory', 'disk']).nullable(), instancesThatFit: count });

const timelinePhase = z.object({
  label: z.string(),
  startMs: finite,
  endMs: finite,
  resource: z.enum(['cpu', 'serial', 'disk', 'network', 'latency']).optional(),
});

const instanceTimeline = z.object({
  service: z.string(),
  index: count,
  requestedMs: finite,
  readyMs: finite.nullable(),
  phases: z.array(timelinePhase),
});

const platformResult = z.object({
  platform: z.enum(PLATFORMS),
  backend: z.enum(['model', 'docker', 'swarm', 'podman', 'containerd', 'host', 'qemu', 'mock']),
  state: z.enum(['completed', 'partial', 'failed']),
  error: z.string().optional(),
  profile: z.string(),
  provenance,
  metrics,
  fit: fit.optional(),
  breakdown,
  timeline: z.array(instanceTimeline).optional(),
  stats: z.partialRecord(metricKey, sampleStats).optional(),
  notes: z.array(z.string()).optional(),
  asRun: z.object({ scale: finite.positive(), instances: count, instancesRequested: count, host: z.string() }).optional(),
  runtime: z.string().optional(),
});

const hostSpec = z.object({
  preset: z.string().nullable(),
  cpus: finite,
  memoryBytes: finite,
  diskBytes: finite,
  diskReadBytesPerSec: finite,
  diskWriteBytesPerSec: finite,
  networkBytesPerSec: finite,
  ksm: z.boolean(),
  memoryOvercommit: z.boolean(),
});

const scenarioReport = z.object({
  name: z.string().min(1),
  file: z.string(),
  description: z.string(),
  totalInstances: count,
  concurrency: count,
  cache: z.enum(['warm', 'cold']),
  host: hostSpec,
  cluster: z.object({ hosts: count.min(1), placement: z.enum(['spread', 'binpack']) }).optional(),
  services: z.array(z.object({ name: z.string(), instances: count })),
  results: z.array(platformResult),
});

const engineFacts = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

/** A whole report of the schema version this build writes. */
export const reportSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.literal('isobench'), version: z.string() }),
  runId: z.string().min(1),
  createdAt: z.string(),
  partial: z.boolean(),
  environment: z.object({
    node: z.string(),
    os: z.string(),
    arch: z.string(),
    kernel: z.string(),
    cpus: count,
    memoryBytes: finite,
    ksm: z.boolean().optional(),
    engines: z.record(z.string(), engineFacts),
  }),
  scenarios: z.array(scenarioReport),
  sweeps: z.array(z.object({ scenario: z.string(), key: z.string(), values: z.array(z.string()), points: z.array(z.string()) })).optional(),
  notes: z.array(z.string()),
});
