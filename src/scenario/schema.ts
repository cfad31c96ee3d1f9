// The scenario file's shape as zod schemas, built for one profile catalog (its runtimes, hypervisors
// and host presets are the valid names). Leaves come from fields.ts; cross-field rules live in rules.ts.

import { z } from 'zod';
import type { ProfileCatalog } from '../profiles/types.js';
import { BOOT_KINDS, CLONE_KINDS, FILE_WRITE_MODES, KERNEL_KINDS, PLACEMENTS } from './types.js';
import { checkBoolean, checkChoice, checkDuration, checkInteger, checkPercent, checkRate, checkSize, checkText, field, quote, type AmountOptions, type Checked } from './fields.js';
import { LIMITS, LIMIT_TEXT } from './limits.js';
import { RUNTIME_ALIASES } from '../profiles/runtimes.js';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Layer and image ids double as image tags and file names in real backends: keep them tame. */
const ID = /^[a-z0-9]+([._-][a-z0-9]+)*$/;
/** An image reference such as "alpine:3.20" or "registry.local:5000/team/app@sha256:..."; never starts with "-". */
const REF = /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/;

const memory: AmountOptions = { max: LIMITS.memoryBytes, maxText: LIMIT_TEXT.memoryBytes, positive: true };
const diskPositive: AmountOptions = { max: LIMITS.diskBytes, maxText: LIMIT_TEXT.diskBytes, positive: true };
const diskOrZero: AmountOptions = { ...diskPositive, positive: false };
const duration: AmountOptions = { max: LIMITS.durationMs, maxText: LIMIT_TEXT.durationMs, positive: false };
const durationPositive: AmountOptions = { ...duration, positive: true };

/** A kebab-case name that is also a safe file name: no "/", "..", NUL or spaces. */
export const nameField = field((input) =>
  checkText(input, KEBAB, LIMITS.nameChars, `a kebab-case name (lowercase letters, digits and single dashes, e.g. "web-app"), at most ${LIMITS.nameChars} characters`),
);

const idField = field((input) => checkText(input, ID, LIMITS.idChars, 'an id of lowercase letters and digits separated by ".", "_" or "-", e.g. "debian-12" or "python-3.12"'));

const refField = field((input) => checkText(input, REF, LIMITS.refChars, 'an image reference such as "alpine:3.20" (letters, digits and . _ / : @ -, not starting with "-")'));

const descriptionField = field((input): Checked<string> => {
  const rule = 'a sentence saying which question this scenario answers';
  if (typeof input === 'string' && input.trim() === '') return { ok: false, message: `is empty; expected ${rule}` };
  return checkText(input, /[^]/, LIMITS.descriptionChars, rule);
});

/** An absolute path inside the instance: no NUL or control characters, no ".." segments. */
const pathField = field((input): Checked<string> => {
  const rule = 'an absolute path inside the instance, e.g. "/var/log/app.log"';
  const text = checkText(input, /[^]/, LIMITS.pathChars, rule);
  if (!text.ok) return text;
  const path = text.value;
  if (/[\u0000-\u001f\u007f]/.test(path)) return { ok: false, message: `${quote(path)} contains a NUL or control character; expected ${rule}` };
  if (!path.startsWith('/')) return { ok: false, message: `${quote(path)} is not absolute; expected ${rule}` };
  if (path.split('/').includes('..')) return { ok: false, message: `${quote(path)} has a ".." segment; expected ${rule} without ".."` };
  if (path.endsWith('/')) return { ok: false, message: `${quote(path)} names a folder; expected a file path, ${rule}` };
  return text;
});

const size = (options: AmountOptions) => field((input) => checkSize(input, options));
const integer = (min: number, max: number) => field((input) => checkInteger(input, min, max));
const choice = <T extends string>(values: readonly T[], noun: string) => field((input) => checkChoice(input, values, noun));
const rate = field((input) => checkRate(input, LIMITS.rateMBps));
const bool = field(checkBoolean);

/** Arrivals per minute: a number above 0, at most 1,000,000. */
function checkPerMinute(input: unknown): Checked<number> {
  const expected = 'instances requested per minute, a number above 0 and at most 1,000,000, e.g. 200';
  if (typeof input !== 'number' || !Number.isFinite(input)) return { ok: false, message: `expected ${expected}` };
  if (input <= 0) return { ok: false, message: `must be larger than 0 (${input}); expected ${expected}` };
  if (input > 1_000_000) return { ok: false, message: `${input} is absurdly large; expected ${expected}` };
  return { ok: true, value: input };
}

/** A runtime profile name, or an earlier name (RUNTIME_ALIASES) turned into the profile it stands for. */
function checkRuntime(input: unknown, runtimes: readonly string[]): Checked<string> {
  const alias = typeof input === 'string' ? RUNTIME_ALIASES[input] : undefined;
  if (alias !== undefined && runtimes.includes(alias)) return { ok: true, value: alias };
  return checkChoice(input, runtimes, 'container runtime');
}

/** A list of runtimes to compare: 1..8 distinct names. */
function checkRuntimeList(input: unknown[], runtimes: readonly string[]): Checked<string[]> {
  if (input.length === 0) return { ok: false, message: 'is an empty list; expected a container runtime or a list of them, e.g. [docker-runc, docker-runsc]' };
  if (input.length > 8) return { ok: false, message: `lists ${input.length} runtimes; expected at most 8` };
  const names: string[] = [];
  for (const [index, entry] of input.entries()) {
    const checked = checkRuntime(entry, runtimes);
    if (!checked.ok) return { ...checked, message: `[${index}]: ${checked.message}` };
    if (names.includes(checked.value)) return { ok: false, message: `[${index}]: ${quote(checked.value)} is listed twice` };
    names.push(checked.value);
  }
  return { ok: true, value: names };
}

/** All schemas of one catalog, and the keys each mapping allows (for "did you mean" on unknown keys). */
export function scenarioSchemas(catalog: ProfileCatalog) {
  const runtimes = Object.keys(catalog.runtimes);
  const hypervisors = Object.keys(catalog.hypervisors);
  const hostPresets = Object.keys(catalog.hosts);

  const runtime = field((input) => checkRuntime(input, runtimes));
  const container = z.strictObject({ runtime: runtime.optional() });
  /** Top level: one runtime, or a list compared side by side (one container result per runtime). */
  const containerTop = z.strictObject({ runtime: field((input): Checked<string | string[]> => (Array.isArray(input) ? checkRuntimeList(input, runtimes) : checkRuntime(input, runtimes))).optional() });
  const vmImage = z.strictObject({ id: idField.optional(), size: size(diskPositive).optional() });
  const vm = z.strictObject({
    hypervisor: choice(hypervisors, 'hypervisor').optional(),
    memory: size(memory).optional(),
    vcpus: integer(1, LIMITS.vcpus).optional(),
    clone: choice(CLONE_KINDS, 'clone kind').optional(),
    boot: choice(BOOT_KINDS, 'boot kind').optional(),
    kernel: choice(KERNEL_KINDS, 'guest kernel kind').optional(),
    image: vmImage.optional(),
  });
  const fileWrite = z.strictObject({
    path: pathField,
    size: size(diskOrZero).optional(),
    write: size(diskOrZero),
    mode: choice(FILE_WRITE_MODES, 'write mode'),
  });
  const layer = z.strictObject({ id: idField, size: size(diskOrZero) });
  const image = z.strictObject({ ref: refField.optional(), layers: z.array(layer).optional() });
  const fork = z.strictObject({
    workers: integer(1, LIMITS.forkWorkers),
    writes: field(checkPercent),
  });
  const app = z.strictObject({
    memory: size(memory),
    fork: fork.optional(),
    startup: field((input) => checkDuration(input, duration)).optional(),
    files: z.array(fileWrite).optional(),
    lifetime: field((input) => checkDuration(input, durationPositive)).optional(),
  });
  /** `arrival: { every: 18s }` or `arrival: { perMinute: 200 }`: one of the two (rules.ts checks that). */
  const arrival = z.strictObject({
    every: field((input) => checkDuration(input, durationPositive)).optional(),
    perMinute: field(checkPerMinute).optional(),
  });
  const service = z.strictObject({
    name: nameField,
    instances: integer(1, LIMITS.instances),
    app,
    image,
    container: container.optional(),
    vm: vm.optional(),
  });
  const hostFields = z.strictObject({
    preset: choice(hostPresets, 'host preset').optional(),
    cpus: integer(1, LIMITS.hostCpus).optional(),
    memory: size(memory).optional(),
    disk: size(diskPositive).optional(),
    diskReadMBps: rate.optional(),
    diskWriteMBps: rate.optional(),
    networkMBps: rate.optional(),
    ksm: bool.optional(),
    memoryOvercommit: bool.optional(),
    /** Identical hosts in a cluster. */
    count: integer(1, LIMITS.hosts).optional(),
  });
  /** `host: server` or `host: { preset: server, cpus: 4 }`: a string is a preset name. */
  const host = z.unknown().transform((input, ctx): z.infer<typeof hostFields> => {
    if (typeof input === 'string') {
      const preset = checkChoice(input, hostPresets, 'host preset');
      if (preset.ok) return { preset: preset.value };
      ctx.addIssue({ code: 'custom', message: preset.message, input, ...(preset.suggestion ? { params: { suggestion: preset.suggestion } } : {}) });
      return z.NEVER;
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      ctx.addIssue({ code: 'custom', input, message: `expected a host preset (${hostPresets.join(', ')}) or a mapping of host fields (${Object.keys(hostFields.shape).join(', ')})` });
      return z.NEVER;
    }
    const parsed = hostFields.safeParse(input, { reportInput: true });
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue } as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  });
  const scenario = z.strictObject({
    name: nameField,
    description: descriptionField,
    host: host.optional(),
    cache: choice(['warm', 'cold'] as const, 'cache state').optional(),
    placement: choice(PLACEMENTS, 'placement').optional(),
    concurrency: integer(1, LIMITS.concurrency).optional(),
    arrival: arrival.optional(),
    container: containerTop.optional(),
    vm: vm.optional(),
    services: z.array(service).min(1, { error: 'needs at least one service' }),
  });

  /** Allowed keys per mapping, by path pattern with list indices as "[]". */
  const keys: Record<string, string[]> = {
    '': Object.keys(scenario.shape),
    host: Object.keys(hostFields.shape),
    container: Object.keys(containerTop.shape),
    vm: Object.keys(vm.shape),
    arrival: Object.keys(arrival.shape),
    'vm.image': Object.keys(vmImage.shape),
    'services[]': Object.keys(service.shape),
    'services[].app': Object.keys(app.shape),
    'services[].app.fork': Object.keys(fork.shape),
    'services[].app.files[]': Object.keys(fileWrite.shape),
    'services[].image': Object.keys(image.shape),
    'services[].image.layers[]': Object.keys(layer.shape),
    'services[].container': Object.keys(container.shape),
    'services[].vm': Object.keys(vm.shape),
    'services[].vm.image': Object.keys(vmImage.shape),
  };
  /** Single fields, so cross-field rules can check what is valid even when a sibling is not. */
  const fields = {
    path: fileWrite.shape.path,
    fileSize: size(diskOrZero),
    write: fileWrite.shape.write,
    mode: fileWrite.shape.mode,
    layerId: layer.shape.id,
    layerSize: layer.shape.size,
    vmMemory: size(memory),
    imageId: idField,
    imageSize: size(diskPositive),
  };
  return { scenario, service, layer, vm, vmImage, fileWrite, arrival, appMemory: app.shape.memory, fields, keys };
}

/** The schemas of one catalog (see scenarioSchemas). */
export type ScenarioSchemas = ReturnType<typeof scenarioSchemas>;
/** The file's content after shape checks: sizes in bytes, durations in ms, defaults not yet applied. */
export type RawScenario = z.infer<ScenarioSchemas['scenario']>;
/** One service after shape checks, before defaults. */
export type RawService = z.infer<ScenarioSchemas['service']>;
/** A partial VM spec (top-level or per service), before merging with the defaults. */
export type RawVm = z.infer<ScenarioSchemas['vm']>;
