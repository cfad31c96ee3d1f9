// `isobench init`: a commented scenario that validates; --from a shipped one; nothing overwritten.

import { readFile, readdir, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { scenarioTemplate } from '../../src/cli/init-template.js';
import { ROOT, runCli, tempDir } from './run-cli.js';

const dirs: string[] = [];
async function scratch(): Promise<string> {
  const dir = await tempDir();
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('isobench init', () => {
  it('the template validates as written and comments every part', () => {
    const text = scenarioTemplate('my-app');
    const scenario = parseScenarioText(text, 'my-app.yaml', builtinCatalog());
    expect(scenario.name).toBe('my-app');
    expect(scenario.totalInstances).toBe(3);
    // Commented: more comment lines than fields, and the commented fleet example is there.
    expect(text.match(/#/g)!.length).toBeGreaterThan(30);
    expect(text).toContain('template:');
  });

  it('writes scenarios/NAME.yaml that `validate` accepts and `bench` runs', async () => {
    const cwd = await scratch();
    const init = await runCli(['init', 'my-app'], { cwd });
    expect(init.code).toBe(0);
    expect(init.stdout).toBe('wrote scenarios/my-app.yaml: scenario "my-app"');
    expect(await readdir(join(cwd, 'scenarios'))).toEqual(['my-app.yaml']);
    expect((await runCli(['validate', 'scenarios/my-app.yaml'], { cwd })).code).toBe(0);
    // And the results go beside the project: cwd/results.
    const bench = await runCli(['bench'], { cwd });
    expect(bench.code).toBe(0);
    expect((await readdir(join(cwd, 'results'))).sort()).toEqual(['report.html', 'report.json', 'report.md']);
  });

  it('--from copies a shipped scenario under the new name, and it validates', async () => {
    const cwd = await scratch();
    const { code } = await runCli(['init', 'web', '--from', 'small-web-app', '--out', 'web.yaml'], { cwd });
    expect(code).toBe(0);
    const text = await readFile(join(cwd, 'web.yaml'), 'utf8');
    expect(parseScenarioText(text, 'web.yaml', builtinCatalog()).name).toBe('web');
    expect(text).toContain('--from small-web-app');
  });

  it('refuses to overwrite, a bad name and an unknown --from, exit 2', async () => {
    const cwd = await scratch();
    await writeFile(join(cwd, 'taken.yaml'), 'mine');
    const taken = await runCli(['init', 'taken', '--out', 'taken.yaml'], { cwd });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('taken.yaml already exists');
    expect(await readFile(join(cwd, 'taken.yaml'), 'utf8')).toBe('mine');
    expect((await runCli(['init', 'My App'], { cwd })).stderr).toContain('is not a scenario name');
    expect((await runCli(['init', 'x', '--from', 'small-webapp'], { cwd })).stderr).toContain('(did you mean "small-web-app"?)');
  });
});

describe('help names files that exist', () => {
  it.each([['--help'], ['bench', '--help'], ['compare', '--help']])('%j', async (...args) => {
    const { stdout } = await runCli(args);
    // Files the examples read (not the ones init would write).
    const files = [...stdout.matchAll(/(?:--scenario|validate) (scenarios\/[\w-]+\.yaml)/g)].map((m) => m[1]!);
    if (args[0] !== 'compare') expect(files.length).toBeGreaterThan(0);
    for (const file of files) await expect(readFile(join(ROOT, file), 'utf8')).resolves.toBeTypeOf('string');
  });
});
