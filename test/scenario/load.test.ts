import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { findScenarioFiles, loadScenarioFile, loadScenarios } from '../../src/scenario/load.js';

const catalog = builtinCatalog();
const SCENARIOS = fileURLToPath(new URL('../../scenarios', import.meta.url));
let dir = '';

const scenario = (name: string) => `name: ${name}\ndescription: Scenario ${name}.\nservices:\n  - { name: web, instances: 2, app: { memory: 64MiB }, image: { ref: "alpine:3.20" } }\n`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isobench-load-'));
  await writeFile(join(dir, 'b.yaml'), scenario('beta'));
  await writeFile(join(dir, 'a.yml'), scenario('alpha'));
  await writeFile(join(dir, 'again.yaml'), scenario('alpha'));
  await writeFile(join(dir, 'broken.yaml'), scenario('broken').replace('instances: 2', 'instances: -2'));
  await writeFile(join(dir, '.hidden.yaml'), scenario('hidden'));
  await writeFile(join(dir, 'notes.txt'), 'not a scenario');
  await mkdir(join(dir, 'sub.yaml'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function problemsOf(files: string[]) {
  try {
    await loadScenarios(files, catalog);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error('accepted');
}

describe('findScenarioFiles', () => {
  it('lists *.yaml and *.yml files, sorted, without dotfiles or folders', async () => {
    expect(await findScenarioFiles(dir)).toEqual(['a.yml', 'again.yaml', 'b.yaml', 'broken.yaml'].map((name) => join(dir, name)));
  });
  it('refuses a missing folder as bad input', async () => {
    await expect(findScenarioFiles(join(dir, 'nope'))).rejects.toThrow(InputError);
  });
});

describe('loadScenarios', () => {
  it('loads files in the order given', async () => {
    const loaded = await loadScenarios([join(dir, 'b.yaml'), join(dir, 'a.yml')], catalog);
    expect(loaded.map((entry) => entry.name)).toEqual(['beta', 'alpha']);
    expect(loaded[0]?.file).toBe(join(dir, 'b.yaml'));
  });
  it('reads a file named twice once', async () => {
    expect(await loadScenarios([join(dir, 'a.yml'), join(dir, 'a.yml')], catalog)).toHaveLength(1);
  });
  it('gathers every problem of every file, and names used by two files', async () => {
    const problems = await problemsOf([join(dir, 'a.yml'), join(dir, 'broken.yaml'), join(dir, 'missing.yaml'), join(dir, 'again.yaml')]);
    expect(problems).toEqual([
      { file: join(dir, 'broken.yaml'), path: 'services[0].instances', line: 4, message: expect.stringContaining('cannot be negative (-2)') },
      { file: join(dir, 'missing.yaml'), path: '', message: 'does not exist' },
      {
        file: join(dir, 'again.yaml'),
        path: 'name',
        line: 1,
        message: `scenario name "alpha" is already used by ${join(dir, 'a.yml')}; scenario names must be unique (they name result files)`,
      },
    ]);
  });
});

describe('loadScenarioFile', () => {
  it('names the file in every problem', async () => {
    await expect(loadScenarioFile(join(dir, 'broken.yaml'), catalog)).rejects.toThrow(`${join(dir, 'broken.yaml')}:4: services[0].instances: cannot be negative`);
  });
});

describe('the default scenarios', () => {
  it('are at least eight, all valid, with distinct names', async () => {
    const files = await findScenarioFiles(SCENARIOS);
    expect(files.length).toBeGreaterThanOrEqual(8);
    const loaded = await loadScenarios(files, catalog);
    expect(new Set(loaded.map((entry) => entry.name)).size).toBe(files.length);
  });
  it('each asks a question in its description', async () => {
    const loaded = await loadScenarios(await findScenarioFiles(SCENARIOS), catalog);
    for (const entry of loaded) expect(entry.description, entry.name).toMatch(/\?$/);
  });
  it('cover the questions of issue 2', async () => {
    const byName = new Map((await loadScenarios(await findScenarioFiles(SCENARIOS), catalog)).map((entry) => [entry.name, entry]));
    // burst: 100 instances on 8 cores, all at once
    expect(byName.get('burst-100')).toMatchObject({ totalInstances: 100, concurrency: 100, host: { cpus: 8 } });
    // serverless: a Firecracker microVM booting a kernel, cold
    expect(byName.get('serverless-cold-start')).toMatchObject({ cache: 'cold' });
    expect(byName.get('serverless-cold-start')?.services[0]?.vm).toMatchObject({ hypervisor: 'firecracker', boot: 'kernel' });
    // copy-on-write: the four write modes
    const modes = byName.get('copy-on-write')?.services.flatMap((service) => service.app.files.map((file) => file.mode));
    expect(new Set(modes)).toEqual(new Set(['modify', 'append', 'overwrite', 'create']));
    // legacy: systemd and cloud-init, full clones
    const legacy = byName.get('legacy-full-os')?.services.map((service) => [service.vm.boot, service.vm.clone]);
    expect(legacy).toEqual([
      ['systemd', 'full'],
      ['cloud-init', 'full'],
    ]);
    // microservices: several services x 3 replicas sharing the debian-12 layer
    const micro = byName.get('microservices');
    expect(micro?.services.every((service) => service.instances === 3 && service.image.layers[0]?.id === 'debian-12')).toBe(true);
    expect(byName.get('density')?.host.preset).toBe('density-server');
    expect(byName.get('ci-jobs')?.cache).toBe('cold');
    expect(byName.get('small-web-app')?.totalInstances).toBe(1);
  });
});
