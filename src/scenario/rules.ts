// Rules across fields that a shape check cannot see: unique service names, one size per layer id
// and per VM image id, writes that fit their files, apps that fit their VMs. They run on the raw data
// (checking each piece with its own schema) so they are reported even when other fields are wrong.

import type { Problem } from '../errors.js';
import { formatBytes } from '../units/format.js';
import { quote, thousands } from './fields.js';
import { formatPath } from './issues.js';
import { LIMITS } from './limits.js';
import { VM_DEFAULTS } from './normalize.js';
import type { ScenarioSchemas } from './schema.js';
import type { PathSegment, Positions } from './yaml-positions.js';

type Where = readonly PathSegment[];

/** Every cross-field problem in one file's raw data. */
export function crossFieldProblems(raw: Record<string, unknown>, file: string, positions: Positions, schemas: ScenarioSchemas): Problem[] {
  const problems: Problem[] = [];
  const report = (path: Where, message: string): void => {
    const line = positions.lineOf(path);
    problems.push({ file, path: formatPath(path), ...(line === undefined ? {} : { line }), message });
  };
  const place = (path: Where): string => {
    const line = positions.lineOf(path);
    return line === undefined ? formatPath(path) : `${formatPath(path)} (line ${line})`;
  };
  const services = Array.isArray(raw.services) ? raw.services.map(asRecord) : [];

  const names = new Map<string, Where>();
  const layers = new Map<string, { bytes: number; path: Where }>();
  let totalInstances = 0;
  services.forEach((service, i) => {
    const base: Where = ['services', i];
    const name = service.name;
    if (typeof name === 'string') {
      const first = names.get(name);
      if (first) report([...base, 'name'], `duplicate service name ${quote(name)}, first used at ${place(first)}; service names must be unique within a file`);
      else names.set(name, [...base, 'name']);
    }
    // Only counts that pass on their own; a single absurd count is already its own problem.
    const count = service.instances;
    if (typeof count === 'number' && Number.isInteger(count) && count >= 1 && count <= LIMITS.instances) totalInstances += count;

    const image = service.image;
    if (image !== null && typeof image === 'object' && !Array.isArray(image)) {
      const { ref, layers: imageLayers } = image as Record<string, unknown>;
      const noLayers = imageLayers === undefined || (Array.isArray(imageLayers) && imageLayers.length === 0);
      if (ref === undefined && noLayers) {
        report([...base, 'image'], 'needs "layers" (a list of { id, size }) or "ref" (an existing image such as "alpine:3.20")');
      }
      const seenHere = new Map<string, Where>();
      (Array.isArray(imageLayers) ? imageLayers : []).forEach((candidate, j) => {
        const entry = asRecord(candidate);
        const id = valid(schemas.fields.layerId, entry.id);
        const size = valid(schemas.fields.layerSize, entry.size);
        if (id === undefined || size === undefined) return;
        const path: Where = [...base, 'image', 'layers', j];
        const twice = seenHere.get(id);
        if (twice) report([...path, 'id'], `layer ${quote(id)} is listed twice in this image, first at ${place(twice)}; an image has each layer once`);
        seenHere.set(id, [...path, 'id']);
        const first = layers.get(id);
        if (first === undefined) layers.set(id, { bytes: size, path: [...path, 'size'] });
        else if (first.bytes !== size) {
          report(
            [...path, 'size'],
            `layer ${quote(id)} is ${formatBytes(size)} here but ${formatBytes(first.bytes)} at ${place(first.path)}; the same layer id means the same layer, so give both the same size or this one another id`,
          );
        }
      });
    }

    const app = asRecord(service.app);
    const seenPaths = new Map<string, Where>();
    (Array.isArray(app.files) ? app.files : []).forEach((candidate, k) => {
      // Each field on its own: a rule shows even when a sibling field is wrong (all problems in one pass).
      const entry = asRecord(candidate);
      const path: Where = [...base, 'app', 'files', k];
      const filePath = valid(schemas.fields.path, entry.path);
      const mode = valid(schemas.fields.mode, entry.mode);
      const write = valid(schemas.fields.write, entry.write);
      const sizeBytes = entry.size === undefined ? 0 : valid(schemas.fields.fileSize, entry.size);
      if (filePath !== undefined) {
        const twice = seenPaths.get(filePath);
        if (twice) report([...path, 'path'], `${quote(filePath)} is written twice, first at ${place(twice)}; give one entry per file`);
        seenPaths.set(filePath, [...path, 'path']);
      }
      if (sizeBytes === undefined) return;
      if (mode === 'create' && sizeBytes > 0) {
        report([...path, 'size'], `mode "create" makes a new file, so size must be 0 (it is ${formatBytes(sizeBytes)}); for a file already in the image use append, modify or overwrite`);
      }
      if (mode === 'modify' && write !== undefined && write > sizeBytes) {
        report(
          [...path, 'write'],
          `a modify write larger than the file it modifies: writes ${formatBytes(write)} into a file of ${formatBytes(sizeBytes)}; use append to grow a file, or make write at most size`,
        );
      }
    });
  });

  if (totalInstances > LIMITS.instances) {
    report(['services'], `add up to ${thousands(totalInstances)} instances; a scenario may have at most ${thousands(LIMITS.instances)}`);
  }
  vmProblems(raw, services, schemas, report, place);
  const arrival = asRecord(raw.arrival);
  if (raw.arrival !== undefined && (arrival.every === undefined) === (arrival.perMinute === undefined)) {
    report(['arrival'], 'needs exactly one of "every" (a duration such as "18s": one instance every 18 s) or "perMinute" (a number such as 200)');
  }
  return problems;
}

/** One size per VM image id, and every app small enough for its VM's memory (defaults merged field by field). */
function vmProblems(raw: Record<string, unknown>, services: Record<string, unknown>[], schemas: ScenarioSchemas, report: (path: Where, message: string) => void, place: (path: Where) => string): void {
  // Field by field: a wrong hypervisor name must not hide an app that is larger than its VM.
  const vmFields = (value: unknown) => {
    const vm = asRecord(value);
    const image = vm.image === undefined ? undefined : asRecord(vm.image);
    return {
      memory: valid(schemas.fields.vmMemory, vm.memory),
      memoryBad: vm.memory !== undefined && valid(schemas.fields.vmMemory, vm.memory) === undefined,
      image: image === undefined ? undefined : { id: valid(schemas.fields.imageId, image.id), size: valid(schemas.fields.imageSize, image.size) },
    };
  };
  const top = vmFields(raw.vm);
  const images = new Map<string, { bytes: number; where: string }>();
  if (top.image?.id !== undefined || top.image?.size !== undefined) {
    const id = top.image.id ?? VM_DEFAULTS.image.id;
    images.set(id, { bytes: top.image.size ?? VM_DEFAULTS.image.sizeBytes, where: place(['vm', 'image']) });
  }
  services.forEach((service, i) => {
    const own = vmFields(service.vm);
    const base: Where = ['services', i, 'vm'];
    const id = own.image?.id ?? top.image?.id ?? VM_DEFAULTS.image.id;
    const bytes = own.image?.size ?? top.image?.size ?? VM_DEFAULTS.image.sizeBytes;
    const path: Where = own.image?.size !== undefined ? [...base, 'image', 'size'] : own.image !== undefined ? [...base, 'image'] : base;
    const first = images.get(id);
    const where = own.image === undefined ? `${place(['services', i])}, which uses the default VM image` : place([...base, 'image']);
    if (first === undefined) images.set(id, { bytes, where });
    else if (first.bytes !== bytes) {
      report(path, `VM image ${quote(id)} is ${formatBytes(bytes)} here but ${formatBytes(first.bytes)} at ${first.where}; the same image id means the same image, so give this one its own id`);
    }
    if (own.memoryBad || (own.memory === undefined && top.memoryBad)) return;
    const vmMemory = own.memory ?? top.memory ?? VM_DEFAULTS.memoryBytes;
    const appMemory = valid(schemas.appMemory, asRecord(service.app).memory);
    if (appMemory !== undefined && appMemory > vmMemory) {
      report(
        ['services', i, 'app', 'memory'],
        `the app needs ${formatBytes(appMemory)} but its VM has ${formatBytes(vmMemory)} of memory; set vm.memory (here or at the top) to more than the app's memory`,
      );
    }
  });
}

/** The parsed value of one field, or undefined when it is absent or invalid (reported elsewhere). */
function valid<T>(schema: { safeParse(input: unknown): { success: true; data: T } | { success: false } }, input: unknown): T | undefined {
  if (input === undefined) return undefined;
  const parsed = schema.safeParse(input);
  return parsed.success ? parsed.data : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
