// Startup as a discrete-event simulation. Host CPUs are shared (processor sharing: each running CPU
// phase gets min(1, cpus / running) of a CPU); disk and network bandwidth are shared equally among
// the transfers in flight; a daemon's serialised section is a FIFO queue served one at a time;
// latency phases compete for nothing. `concurrency` limits instances in flight (a slot frees when an
// instance is ready); an instance starts only when its memory and disk fit, and frees them when its
// lifetime ends. Identical instances that move together are simulated as one cohort, so a burst of
// 100,000 costs a handful of events per phase, not 100,000.
//
// Processor sharing uses virtual time: a resource's clock V advances at the rate each job gets
// (dV/dt = min(1, capacity / running)), so a job with w ms of work that enters at V0 leaves at
// V0 + w whatever happens meanwhile; one heap per resource orders the leaving times: O(log n) per event.
// A CPU phase of `width` processes counts as that many jobs, each with the phase's wall time of work.

import type { InstanceTimeline, PhaseResource } from '../report/types.js';
import { MinHeap } from './heap.js';
import type { InstanceTemplate } from './phases.js';

export interface SimulationInput {
  templates: InstanceTemplate[];
  /** Instances in flight at most (started, not yet ready). */
  concurrency: number;
  cpus: number;
  /** One-time work (cold cache) before which no instance can start. */
  leadMs: number;
  /** Instance k (in service order) is requested at k x everyMs; null: all at once at 0. */
  arrivalEveryMs: number | null;
  /**
   * Instead of k x everyMs: instance k's request time (non-decreasing in k), e.g. one host's share of
   * a cluster's arrivals. Only read when arrivalEveryMs is not null.
   */
  requestMs?: Float64Array;
  /** Host memory and disk free for instances (after the host's reserve and shared costs). */
  memoryFreeBytes: number;
  diskFreeBytes: number;
  /** Per-instance timelines kept for the first this many instances (in service order). */
  timelineCap: number;
}

export interface SimulationResult {
  /** Per instance (service order): ready time from the start command; NaN when never started. */
  readyMs: Float64Array;
  /** Per instance: its own start request (when it started, or when it was requested if it waited only for the one-time lead); NaN when never started. */
  startedMs: Float64Array;
  started: number;
  notStarted: number;
  /** Instances that started only after others ended and freed memory or disk. */
  waitedForCapacity: number;
  /** The resource that first kept an instance from starting, or null. */
  limitedBy: 'memory' | 'disk' | null;
  /** Most instances alive at once. */
  peakAlive: number;
  /** Largest sum over live instances of memoryBytes and diskBytes (shared costs not included). */
  peakMemoryBytes: number;
  peakDiskBytes: number;
  /** Largest number of instances in CPU phases at once (the contention they saw). */
  peakCpuRunning: number;
  timeline: InstanceTimeline[];
}

/** A group of instances of one template moving through the phases together. */
interface Cohort {
  template: number;
  /** Global index (service order) of its first instance; its members are [first, first + count). */
  first: number;
  count: number;
  phase: number;
  startedMs: number;
  /** When it entered its phase marked `mark` (the app's start): latency phases with `untilMs` count from here. */
  markMs: number;
  /** Held back by capacity at least once before it started. */
  waited: boolean;
  /** Jobs it counts for on the shared resource of its current phase (count x the CPU phase's width). */
  jobs: number;
}

/** A shared resource under processor sharing: cpu (capacity = cpus), disk and network (capacity 1). */
interface SharedResource {
  capacity: number;
  running: number;
  virtual: number;
  heap: MinHeap;
}

interface SerialQueue {
  waiting: number[];
  head: number;
  busyUntil: number;
  serving: number;
}

const EPSILON = 1e-9;
const TIMER_PHASE = 0;
const TIMER_END = 1;

/** Runs the simulation; pure and deterministic. */
export function simulate(input: SimulationInput): SimulationResult {
  const { templates } = input;
  const base: number[] = [];
  let total = 0;
  for (const template of templates) {
    base.push(total);
    total += template.instances;
  }
  const readyMs = new Float64Array(total).fill(Number.NaN);
  const startedMs = new Float64Array(total).fill(Number.NaN);
  const maxPhases = templates.reduce((max, t) => Math.max(max, t.phases.length), 0);
  const cap = Math.min(input.timelineCap, total);
  const phaseEnd = new Float64Array(cap * Math.max(1, maxPhases)).fill(Number.NaN);
  const templateOf = new Int32Array(cap);
  templates.forEach((_, t) => {
    for (let i = base[t]!; i < Math.min(cap, base[t]! + templates[t]!.instances); i += 1) templateOf[i] = t;
  });

  const cohorts: Cohort[] = [];
  const newCohort = (template: number, first: number, count: number): number => {
    cohorts.push({ template, first, count, phase: 0, startedMs: 0, markMs: 0, waited: false, jobs: 0 });
    return cohorts.length - 1;
  };
  const shared: Record<'cpu' | 'disk' | 'network', SharedResource> = {
    cpu: { capacity: Math.max(1, input.cpus), running: 0, virtual: 0, heap: new MinHeap() },
    disk: { capacity: 1, running: 0, virtual: 0, heap: new MinHeap() },
    network: { capacity: 1, running: 0, virtual: 0, heap: new MinHeap() },
  };
  const sharedList = [shared.cpu, shared.disk, shared.network];
  /** Jobs a cohort adds to its resource in its current phase (its instances, times a CPU phase's width), kept on it until it leaves. */
  const addJobs = (r: SharedResource, cohort: Cohort, width: number | undefined): void => {
    cohort.jobs = cohort.count * (width ?? 1);
    r.running += cohort.jobs;
  };
  const rate = (r: SharedResource): number => Math.min(1, r.capacity / r.running);
  const queues = new Map<string, SerialQueue>();
  /** The same queues as a list: the event loop walks it on every event (no iterator per event). */
  const queueList: SerialQueue[] = [];
  /** Cohorts whose serialised service is running on the CPU, with the queue they hold. */
  const servingOnCpu = new Map<number, SerialQueue>();
  const timers = new MinHeap();

  let now = 0;
  let slots = Math.max(1, input.concurrency);
  let memoryHeld = 0;
  let memoryUsed = 0;
  let diskUsed = 0;
  let alive = 0;
  let aliveThatEnd = 0;
  const result = {
    started: 0,
    notStarted: 0,
    waitedForCapacity: 0,
    limitedBy: null as 'memory' | 'disk' | null,
    peakAlive: 0,
    peakMemoryBytes: 0,
    peakDiskBytes: 0,
    peakCpuRunning: 0,
  };

  // Arrivals: every instance requested at once (one cohort per service), or one every `everyMs`.
  const waiting: number[] = [];
  let waitHead = 0;
  let nextArrival = 0;
  const requestOf = requestTimes(input);
  const arrivalTime = (k: number): number => Math.max(input.leadMs, requestOf(k));
  let arrivalTemplate = 0;

  const recordPhaseEnd = (cohort: Cohort, phase: number, at: number): void => {
    const last = Math.min(cap, cohort.first + cohort.count);
    for (let i = cohort.first; i < last; i += 1) phaseEnd[i * maxPhases + phase] = at;
  };

  const enterPhase = (id: number): void => {
    const cohort = cohorts[id]!;
    const phases = templates[cohort.template]!.phases;
    const marked = (): void => {
      if (phases[cohort.phase]?.mark === true) cohort.markMs = now;
    };
    marked();
    while (cohort.phase < phases.length && phases[cohort.phase]!.ms <= 0 && phases[cohort.phase]!.untilMs === undefined) {
      recordPhaseEnd(cohort, cohort.phase, now);
      cohort.phase += 1;
      marked();
    }
    if (cohort.phase >= phases.length) {
      ready(id);
      return;
    }
    const phase = phases[cohort.phase]!;
    switch (phase.resource) {
      case 'cpu':
      case 'disk':
      case 'network': {
        const r = shared[phase.resource];
        r.heap.push(r.virtual + phase.ms, id);
        addJobs(r, cohort, phase.resource === 'cpu' ? phase.width : 1);
        if (phase.resource === 'cpu' && r.running > result.peakCpuRunning) result.peakCpuRunning = r.running;
        return;
      }
      case 'serial': {
        const name = phase.queue ?? 'daemon';
        let queue = queues.get(name);
        if (queue === undefined) {
          queue = { waiting: [], head: 0, busyUntil: Number.POSITIVE_INFINITY, serving: -1 };
          queues.set(name, queue);
          queueList.push(queue);
        }
        // One at a time: a cohort splits into single instances in the queue.
        queue.waiting.push(id);
        for (let k = 1; k < cohort.count; k += 1) {
          const single = newCohort(cohort.template, cohort.first + k, 1);
          const member = cohorts[single]!;
          member.phase = cohort.phase;
          member.startedMs = cohort.startedMs;
          member.markMs = cohort.markMs;
          queue.waiting.push(single);
        }
        cohort.count = 1;
        if (queue.serving < 0) serveNext(queue);
        return;
      }
      case 'latency':
        // A deadline (the app's own startup, counted from its start) absorbs the stretch contention
        // gave the CPU work before it; a plain latency phase is its length from now.
        timers.push(phase.untilMs === undefined ? now + phase.ms : Math.max(now, cohort.markMs + phase.untilMs), id * 2 + TIMER_PHASE);
        return;
    }
  };

  const serveNext = (queue: SerialQueue): void => {
    if (queue.head >= queue.waiting.length) {
      queue.serving = -1;
      queue.busyUntil = Number.POSITIVE_INFINITY;
      queue.waiting.length = 0;
      queue.head = 0;
      return;
    }
    const id = queue.waiting[queue.head]!;
    queue.head += 1;
    const cohort = cohorts[id]!;
    const phase = templates[cohort.template]!.phases[cohort.phase]!;
    queue.serving = id;
    if (phase.cpu === true) {
      // Served on a CPU: done when its work is, at its share of the cores; the queue waits for it.
      queue.busyUntil = Number.POSITIVE_INFINITY;
      servingOnCpu.set(id, queue);
      shared.cpu.heap.push(shared.cpu.virtual + phase.ms, id);
      addJobs(shared.cpu, cohort, phase.width);
      if (shared.cpu.running > result.peakCpuRunning) result.peakCpuRunning = shared.cpu.running;
      return;
    }
    queue.busyUntil = now + phase.ms;
  };

  const leavePhase = (id: number): void => {
    const cohort = cohorts[id]!;
    recordPhaseEnd(cohort, cohort.phase, now);
    cohort.phase += 1;
    enterPhase(id);
  };

  const ready = (id: number): void => {
    const cohort = cohorts[id]!;
    readyMs.fill(now, cohort.first, cohort.first + cohort.count);
    slots += cohort.count;
    const lifetime = templates[cohort.template]!.lifetimeMs;
    if (lifetime !== null) timers.push(now + lifetime, id * 2 + TIMER_END);
    admit();
  };

  const end = (id: number): void => {
    const cohort = cohorts[id]!;
    const template = templates[cohort.template]!;
    memoryHeld -= cohort.count * template.reservedBytes;
    memoryUsed -= cohort.count * template.memoryBytes;
    diskUsed -= cohort.count * template.diskBytes;
    alive -= cohort.count;
    aliveThatEnd -= cohort.count;
    admit();
  };

  const fitting = (free: number, held: number, each: number): number => (each <= 0 ? Number.POSITIVE_INFINITY : Math.floor((free - held + EPSILON) / each));

  const admit = (): void => {
    while (waitHead < waiting.length && slots > 0) {
      const id = waiting[waitHead]!;
      const cohort = cohorts[id]!;
      const template = templates[cohort.template]!;
      const byMemory = fitting(input.memoryFreeBytes, memoryHeld, template.reservedBytes);
      const byDisk = fitting(input.diskFreeBytes, diskUsed, template.diskBytes);
      const k = Math.min(cohort.count, slots, byMemory, byDisk);
      if (k <= 0) {
        result.limitedBy ??= byMemory <= 0 ? 'memory' : 'disk';
        const everFits = template.reservedBytes <= input.memoryFreeBytes && template.diskBytes <= input.diskFreeBytes;
        if (aliveThatEnd > 0 && everFits) {
          cohort.waited = true;
          return; // an instance with a lifetime will end and free what this one needs
        }
        result.notStarted += cohort.count;
        waitHead += 1;
        continue;
      }
      let startId = id;
      if (k < cohort.count) {
        startId = newCohort(cohort.template, cohort.first, k);
        cohorts[startId]!.waited = cohort.waited;
        cohort.first += k;
        cohort.count -= k;
        if (byMemory <= k || byDisk <= k) result.limitedBy ??= byMemory <= byDisk ? 'memory' : 'disk';
      } else {
        waitHead += 1;
      }
      start(startId);
    }
  };

  const start = (id: number): void => {
    const cohort = cohorts[id]!;
    const template = templates[cohort.template]!;
    const n = cohort.count;
    cohort.startedMs = now;
    // Requested before the one-time lead (images being fetched) and started as soon as it ended:
    // its own startup counts from its request, as a user who asked for it sees it.
    const requested = now <= input.leadMs + EPSILON ? Math.min(now, requestOf(cohort.first)) : now;
    startedMs.fill(requested, cohort.first, cohort.first + n);
    slots -= n;
    memoryHeld += n * template.reservedBytes;
    memoryUsed += n * template.memoryBytes;
    diskUsed += n * template.diskBytes;
    alive += n;
    if (template.lifetimeMs !== null) aliveThatEnd += n;
    result.started += n;
    if (cohort.waited) result.waitedForCapacity += n;
    if (alive > result.peakAlive) result.peakAlive = alive;
    if (memoryUsed > result.peakMemoryBytes) result.peakMemoryBytes = memoryUsed;
    if (diskUsed > result.peakDiskBytes) result.peakDiskBytes = diskUsed;
    enterPhase(id);
  };

  const arrive = (): void => {
    if (input.arrivalEveryMs === null) {
      templates.forEach((template, t) => {
        if (template.instances > 0) waiting.push(newCohort(t, base[t]!, template.instances));
      });
      nextArrival = total;
    } else {
      while (nextArrival < total && arrivalTime(nextArrival) <= now + EPSILON) {
        while (arrivalTemplate + 1 < templates.length && base[arrivalTemplate + 1]! <= nextArrival) arrivalTemplate += 1;
        waiting.push(newCohort(arrivalTemplate, nextArrival, 1));
        nextArrival += 1;
      }
    }
    admit();
  };

  /** The jobs one resource finished at this instant (reused: no array per event). */
  const done: number[] = [];
  let doneCount = 0;
  for (;;) {
    let next = nextArrival < total ? arrivalTime(nextArrival) : Number.POSITIVE_INFINITY;
    for (const r of sharedList) {
      if (r.running > 0) {
        const t = now + Math.max(0, r.heap.peekKey() - r.virtual) / rate(r);
        if (t < next) next = t;
      }
    }
    for (const queue of queueList) if (queue.busyUntil < next) next = queue.busyUntil;
    const timer = timers.peekKey();
    if (timer < next) next = timer;
    if (next === Number.POSITIVE_INFINITY) break;
    const dt = next - now;
    if (dt > 0) {
      for (const r of sharedList) if (r.running > 0) r.virtual += dt * rate(r);
      now = next;
    }
    // Arrivals first, so instances requested at this instant queue behind those already waiting.
    if (nextArrival < total && arrivalTime(nextArrival) <= now + EPSILON) arrive();
    for (const r of sharedList) {
      if (r.running === 0 || r.heap.peekKey() > r.virtual + EPSILON * Math.max(1, r.virtual)) continue;
      doneCount = 0;
      while (r.heap.size > 0 && r.heap.peekKey() <= r.virtual + EPSILON * Math.max(1, r.virtual)) {
        const id = r.heap.pop();
        r.running -= cohorts[id]!.jobs;
        done[doneCount++] = id;
      }
      if (r.running < EPSILON) {
        r.running = 0;
        r.virtual = 0;
      }
      for (let d = 0; d < doneCount; d += 1) {
        const id = done[d]!;
        const queue = servingOnCpu.get(id);
        if (queue !== undefined) {
          servingOnCpu.delete(id);
          serveNext(queue);
        }
        leavePhase(id);
      }
    }
    for (const queue of queueList) {
      while (queue.serving >= 0 && queue.busyUntil <= now + EPSILON) {
        const id = queue.serving;
        serveNext(queue);
        leavePhase(id);
      }
    }
    while (timers.peekKey() <= now + EPSILON) {
      const code = timers.pop();
      const id = code >> 1;
      if ((code & 1) === TIMER_END) end(id);
      else leavePhase(id);
    }
  }

  return { readyMs, startedMs, ...result, timeline: timelines(templates, base, cap, maxPhases, phaseEnd, startedMs, readyMs, templateOf, input) };
}

/** When instance k is requested: 0 (all at once), k x everyMs, or its given time. */
function requestTimes(input: SimulationInput): (k: number) => number {
  const every = input.arrivalEveryMs;
  if (every === null) return () => 0;
  const given = input.requestMs;
  return given === undefined ? (k) => k * every : (k) => given[k] ?? k * every;
}

/** The first `cap` instances' timelines: each non-empty phase with its span and resource. */
function timelines(
  templates: InstanceTemplate[],
  base: number[],
  cap: number,
  maxPhases: number,
  phaseEnd: Float64Array,
  startedMs: Float64Array,
  readyMs: Float64Array,
  templateOf: Int32Array,
  input: SimulationInput,
): InstanceTimeline[] {
  const out: InstanceTimeline[] = [];
  const round = (ms: number): number => Math.round(ms * 100) / 100;
  const requestOf = requestTimes(input);
  for (let i = 0; i < cap; i += 1) {
    const t = templateOf[i]!;
    const template = templates[t]!;
    const started = startedMs[i]!;
    const requested = requestOf(i);
    const phases: InstanceTimeline['phases'] = [];
    if (!Number.isNaN(started)) {
      let from = started;
      if (started < input.leadMs) {
        phases.push({ label: 'one-time: cold cache (images fetched once for all)', startMs: round(started), endMs: round(input.leadMs), resource: 'network' });
        from = input.leadMs;
      }
      template.phases.forEach((phase, p) => {
        const to = phaseEnd[i * maxPhases + p]!;
        if (Number.isNaN(to)) return;
        if (to > from) phases.push({ label: phase.label, startMs: round(from), endMs: round(to), resource: phase.resource as PhaseResource });
        from = to;
      });
    }
    const ready = readyMs[i]!;
    out.push({
      service: template.service,
      index: i - base[t]!,
      requestedMs: round(Number.isNaN(started) ? requested : started),
      readyMs: Number.isNaN(ready) ? null : round(ready),
      phases,
    });
  }
  return out;
}
