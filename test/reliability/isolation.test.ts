// Isolation: nothing in a scenario can run a command on the host or write outside the suite's own
// folders. Strings that reach a shell script (file paths, in the host app script, the container
// command and the guest's /init) are either refused by validation or passed literally; the host
// backend maps every scenario path under its temp dir; containers and guests run with no network,
// no privileges, and memory and pids limits.

import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appScript, shQuote } from '../../src/backends/shared/app-script.js';
import { quote as guestQuote } from '../../src/backends/qemu/init-script.js';
import { BUSYBOX, needs } from '../engines.js';
import { containersOfPid, FIXTURES, leftoverCount, NEED_OF, leftovers, processesWithEnv, recordFigure, runCli, scratchDir, startCli } from './harness.js';

const FILE = 'test/reliability/isolation.test.ts';
const busybox = await needs(FILE, 'busybox');

let dir = '';
beforeAll(async () => {
  dir = await scratchDir('isolation');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Paths that are valid scenario paths and would run `touch MARK` if any shell expanded them. */
function hostilePaths(mark: string): string[] {
  return [
    `/var/$(touch ${mark}-dollar)`,
    `/var/\`touch ${mark}-backtick\``,
    `/var/a; touch ${mark}-semicolon`,
    `/var/a' ; touch ${mark}-quote ; '`,
    `/var/a" ; touch ${mark}-dquote ; "`,
    `/var/a | touch ${mark}-pipe`,
    `/var/a && touch ${mark}-and`,
    `/var/a > ${mark}-redirect`,
    `/var/\${IFS}*\\$HOME`,
  ];
}

function marksLeft(mark: string): string[] {
  return ['dollar', 'backtick', 'semicolon', 'quote', 'dquote', 'pipe', 'and', 'redirect', 'fail'].filter((kind) => existsSync(`${mark}-${kind}`));
}

function yamlString(text: string): string {
  return JSON.stringify(text);
}

describe('values that would reach a shell are refused by validation', () => {
  // Each: the field, the hostile value (as YAML), and the message the CLI must give.
  const cases: [field: string, yaml: (value: string) => string, value: string, message: RegExp][] = [
    ['services[0].app.files[0].path', (v) => fileScenario(v), '/../../etc/cron.d/x', /has a "\.\." segment/],
    ['services[0].app.files[0].path', (v) => fileScenario(v), '/var/log/../../../etc/passwd', /has a "\.\." segment/],
    ['services[0].app.files[0].path', (v) => fileScenario(v), 'etc/passwd', /is not absolute/],
    ['services[0].app.files[0].path', (v) => fileScenario(v), '/var/a\ntouch /tmp/x', /contains a NUL or control character/],
    ['services[0].app.files[0].path', (v) => fileScenario(v), '/var/a\u0000b', /contains a NUL or control character/],
    ['services[0].name', (v) => scenarioWith({ service: v }), 'web;touch /tmp/x', /expected a kebab-case name/],
    ['services[0].name', (v) => scenarioWith({ service: v }), '$(id)', /expected a kebab-case name/],
    ['services[0].image.layers[0].id', (v) => scenarioWith({ layer: v }), '`id`', /expected an id of lowercase letters/],
    ['services[0].image.layers[0].id', (v) => scenarioWith({ layer: v }), '../../etc', /expected an id of lowercase letters/],
    ['services[0].image.ref', (v) => scenarioWith({ ref: v }), '--privileged', /image reference/],
    ['services[0].image.ref', (v) => scenarioWith({ ref: v }), 'alpine;id', /image reference/],
    ['name', (v) => scenarioWith({ name: v }), '../../etc', /expected a kebab-case name/],
    ['name', (v) => scenarioWith({ name: v }), '/etc/passwd', /expected a kebab-case name/],
  ];

  it(`refuses ${cases.length} hostile values with exit 2, naming each file and field`, { timeout: 60_000 }, async () => {
    const files: string[] = [];
    for (const [index, [, yaml, value]] of cases.entries()) {
      const file = join(dir, `hostile-${index}.yaml`);
      await writeFile(file, yaml(value));
      files.push(file);
    }
    const tmp = join(dir, 'tmp-validate');
    await mkdir(tmp, { recursive: true });
    const run = await runCli(['validate', ...files], tmp);
    expect(run.code, run.stderr).toBe(2);
    const lines = run.stderr.split('\n');
    for (const [index, [field, , value, message]] of cases.entries()) {
      const line = lines.find((text) => text.includes(`${files[index]}:`) && text.includes(` ${field}:`));
      expect(line, `${JSON.stringify(value)} in ${field}:\n${run.stderr}`).toMatch(message);
      await recordFigure({ kind: 'bad-input', name: `hostile ${field} ${JSON.stringify(value)}`, rejected: line !== undefined && message.test(line) });
    }
  });
});

describe('values that are valid are passed literally', () => {
  it.runIf(busybox.run)(busybox.title('host and guest quoting: every hostile path round-trips through sh unchanged'), () => {
    busybox.check();
    const mark = join(dir, 'quote-mark');
    for (const path of hostilePaths(mark)) {
      for (const quoted of [shQuote(path), guestQuote(path)]) {
        const echoed = execFileSync(BUSYBOX, ['sh', '-c', `printf %s ${quoted}`], { encoding: 'utf8' });
        expect(echoed).toBe(path);
      }
    }
    expect(marksLeft(mark)).toEqual([]);
  });

  it.runIf(busybox.run)(busybox.title('the app script, when a write fails, prints the path literally and runs nothing'), () => {
    busybox.check();
    const mark = join(dir, 'fail-mark');
    const path = `/x$(touch ${mark}-fail)\`touch ${mark}-fail\``;
    // A root that does not exist: the write fails, and the script reports it with the path.
    const script = appScript(
      { memoryBytes: 0, startupMs: 0, files: [{ path, sizeBytes: 0, writeBytes: 1, mode: 'create' }] },
      { busybox: BUSYBOX, scratchDir: dir, rootDir: join(dir, 'no-such-root') },
    );
    let stdout = '';
    try {
      execFileSync(BUSYBOX, ['sh', '-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (error) {
      stdout = String((error as { stdout?: string }).stdout);
    }
    expect(stdout).toContain(`ISOBENCH_READY\nISOBENCH_FAILED write 0 create ${path}`);
    expect(marksLeft(mark)).toEqual([]);
  });
});

/**
 * Two scenarios of hostile but valid paths: "literal" writes each once (create, 1 KiB each) plus a
 * file at an absolute host path; "fails" makes its first write fail (the path is also a folder), so the
 * script's failure message carries a hostile path.
 */
async function hostileScenarios(mark: string, hostPath: string): Promise<string[]> {
  const literal = join(dir, 'literal.yaml');
  const fails = join(dir, 'fails.yaml');
  const files = [...hostilePaths(mark), hostPath].map((path) => `        - { path: ${yamlString(path)}, size: 0, write: 1KiB, mode: create }`);
  await writeFile(literal, scenarioYaml('literal', `$(touch ${mark}-dollar) in a description`, files));
  const failing = `/q/$(touch ${mark}-fail)`;
  await writeFile(
    fails,
    scenarioYaml('fails', 'A write that fails, with a hostile path in its failure message.', [
      `        - { path: ${yamlString(failing)}, size: 0, write: 1KiB, mode: create }`,
      `        - { path: ${yamlString(`${failing}/inner`)}, size: 0, write: 1KiB, mode: create }`,
    ]),
  );
  return [literal, fails];
}

for (const backend of ['host', 'docker'] as const) {
  const engine = await needs(FILE, NEED_OF[backend]);

  describe.runIf(engine.run)(engine.title(`a real run of hostile paths: bench --real ${backend}`), () => {
    beforeAll(engine.check);

    it('runs no command on the host and writes nothing outside its temp dir; the writes land (under it)', { timeout: 120_000 }, async () => {
      const mark = join(dir, `${backend}-mark`);
      const hostPath = join(dir, `${backend}-escape`, 'out.log');
      const tmp = join(dir, `tmp-${backend}`);
      await mkdir(tmp, { recursive: true });
      const [literal, fails] = await hostileScenarios(mark, hostPath);
      const ended = await runCli(['--scenario', literal!, '--scenario', fails!, '--real', backend, '--repetitions', '1', '--warmup', '0', '--json', '--results', join(dir, `results-${backend}`)], tmp);
      expect(ended.code, ended.stderr).toBe(0);
      const report = JSON.parse(ended.stdout);
      const left = await leftovers(report.runId, tmp);
      const escaped = [...marksLeft(mark), ...(existsSync(hostPath) ? [hostPath] : [])];
      await recordFigure({ kind: 'fault', name: `hostile paths through bench --real ${backend}`, survived: escaped.length === 0, leftovers: leftoverCount(left), exitCode: ended.code });
      expect(escaped).toEqual([]);
      expect(left).toEqual({ containers: [], processes: [], tempFiles: [] });
      // Every write happened, to its literal name: 10 files of 1 KiB each per instance.
      const measured = report.scenarios[0].results.find((r: { backend: string }) => r.backend === backend);
      expect(measured.state, measured.error).toBe('completed');
      expect(measured.metrics.diskPerInstanceBytes).toBe(10 * 1024);
    });
  });
}

const docker = await needs(FILE, 'docker');
describe.runIf(docker.run)(docker.title('containers of a real run'), () => {
  beforeAll(docker.check);

  it('have no network, no capabilities, no new privileges, no mounts from the host, and memory and pids limits', { timeout: 120_000 }, async () => {
    const tmp = join(dir, 'tmp-inspect');
    await mkdir(tmp, { recursive: true });
    const cli = startCli(
      ['--scenario', join(FIXTURES, 'slow-start.yaml'), '--real', 'docker', '--repetitions', '1', '--warmup', '0', '--real-app-startup', 'sleep', '--results', join(dir, 'results-inspect')],
      tmp,
    );
    await cli.waitFor(/docker: batch 1\/1/);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const ids = await containersOfPid(cli.child.pid!);
    const inspected = await Promise.all(ids.map((id) => new Docker().getContainer(id).inspect()));
    cli.child.kill('SIGINT');
    await cli.ended;
    const apps = inspected.filter((c) => c.Config.Labels?.['isobench.service'] === 'slow');
    expect(apps.length).toBeGreaterThan(0);
    for (const c of apps) {
      expect(c.HostConfig.NetworkMode).toBe('none');
      expect((c.Config as { NetworkDisabled?: boolean }).NetworkDisabled).toBe(true);
      expect(c.HostConfig.Privileged).toBe(false);
      expect(c.HostConfig.CapDrop).toEqual(['ALL']);
      expect(c.HostConfig.CapAdd ?? []).toEqual([]);
      expect(c.HostConfig.SecurityOpt).toEqual(['no-new-privileges']);
      expect(c.HostConfig.Binds ?? []).toEqual([]);
      expect(c.Mounts).toEqual([]);
      // 4 MiB app + 32 MiB margin; at most 64 processes.
      expect(c.HostConfig.Memory).toBe(36 * 1024 ** 2);
      expect(c.HostConfig.MemorySwap).toBe(36 * 1024 ** 2);
      expect(c.HostConfig.PidsLimit).toBe(64);
    }
    expect(await processesWithEnv(`TMPDIR=${tmp}`)).toEqual([]);
  });
});

const qemu = await needs(FILE, 'qemu');
describe.runIf(qemu.run)(qemu.title('guests of a real run'), () => {
  beforeAll(qemu.check);

  it('have no network device, no shared folder and only their own disk clone', { timeout: 120_000 }, async () => {
    const tmp = join(dir, 'tmp-qemu');
    await mkdir(tmp, { recursive: true });
    const cli = startCli(
      ['--scenario', join(FIXTURES, 'slow-start.yaml'), '--real', 'qemu', '--repetitions', '1', '--warmup', '0', '--real-app-startup', 'sleep', '--results', join(dir, 'results-qemu')],
      tmp,
    );
    await cli.waitFor(/qemu: batch 1\/1/);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const guests = (await processesWithEnv(`TMPDIR=${tmp}`)).filter((line) => line.includes('qemu-system'));
    cli.child.kill('SIGINT');
    await cli.ended;
    expect(guests.length).toBeGreaterThan(0);
    for (const line of guests) {
      expect(line).toContain('-nic none');
      expect(line).toContain('-nodefaults');
      expect(line).not.toMatch(/-netdev|-virtfs|-fsdev|-chardev socket/);
      // Every file the guest gets lies under the run's own temp dir or the guest kernel cache.
      for (const file of [...line.matchAll(/file=([^,\s]+)/g)].map((m) => m[1]!)) expect(file.startsWith(tmp)).toBe(true);
    }
  });
});

function scenarioYaml(name: string, description: string, files: string[]): string {
  return [
    `name: ${name}`,
    `description: ${yamlString(description)}`,
    'host: { cpus: 2, memory: 4GiB, disk: 20GiB }',
    'services:',
    '  - name: web',
    '    instances: 1',
    '    app:',
    '      memory: 1MiB',
    '      startup: 10ms',
    '      files:',
    ...files,
    '    image: { layers: [{ id: reliability-base, size: 1MiB }] }',
    '',
  ].join('\n');
}

function fileScenario(path: string): string {
  return scenarioYaml('hostile', 'A hostile file path.', [`        - { path: ${yamlString(path)}, size: 0, write: 1KiB, mode: create }`]);
}

function scenarioWith(values: { name?: string; service?: string; layer?: string; ref?: string }): string {
  const image = values.ref !== undefined ? `{ ref: ${yamlString(values.ref)} }` : `{ layers: [{ id: ${yamlString(values.layer ?? 'base')}, size: 1MiB }] }`;
  return [
    `name: ${yamlString(values.name ?? 'hostile')}`,
    'description: A hostile name.',
    'services:',
    `  - { name: ${yamlString(values.service ?? 'web')}, instances: 1, app: { memory: 1MiB }, image: ${image} }`,
    '',
  ].join('\n');
}
