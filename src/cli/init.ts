// \`isobench init [NAME] [--from SCENARIO]\`: writes a commented scenario that validates, to start from.
// Nothing is overwritten without --force; the text is checked before it is written.

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { builtinCatalog } from '../profiles/catalog.js';
import { findScenarioFiles, parseScenarioText } from '../scenario/load.js';
import { suggest } from '../scenario/suggest.js';
import { scenarioTemplate } from './init-template.js';
import type { CliIo } from './io.js';

export interface RawInitOptions {
  from?: string;
  out?: string;
  force?: boolean;
}

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The scenarios shipped with isobench (the `--from` choices). */
function shippedDir(): string {
  return fileURLToPath(new URL('../../scenarios', import.meta.url));
}

/** Writes the scenario; returns the exit code. */
export async function runInit(name: string | undefined, raw: RawInitOptions, io: CliIo): Promise<number> {
  const scenarioName = name ?? (raw.from === undefined ? 'my-scenario' : `my-${raw.from}`);
  if (!KEBAB.test(scenarioName) || scenarioName.length > 64) {
    throw new UsageError(`init: "${scenarioName}" is not a scenario name; use a kebab-case name (lowercase letters, digits and single dashes, e.g. "my-app"), at most 64 characters`);
  }
  const text = raw.from === undefined ? scenarioTemplate(scenarioName) : await fromShipped(raw.from, scenarioName);
  const out = raw.out ?? join(existsSync('scenarios') || !existsSync('package.json') ? 'scenarios' : '.', `${scenarioName}.yaml`);
  // Never write a file that would not validate.
  parseScenarioText(text, out, builtinCatalog());
  if (existsSync(out) && !raw.force) throw new UsageError(`init: ${out} already exists; choose another NAME or --out FILE, or pass --force to replace it`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, text, 'utf8');
  io.out(`wrote ${out}: scenario "${scenarioName}"${raw.from === undefined ? '' : ` from ${raw.from}`}\n`);
  io.err(`next: edit it, then \`isobench validate ${out}\` and \`isobench bench --scenario ${out}\`\n`);
  return 0;
}

/** A shipped scenario's text with its name replaced and a line saying where it came from. */
async function fromShipped(from: string, name: string): Promise<string> {
  const files = await findScenarioFiles(shippedDir());
  const names = files.map((file) => basename(file).replace(/\.ya?ml$/, ''));
  const index = names.indexOf(from);
  if (index < 0) {
    const hint = suggest(from, names);
    throw new UsageError(`init --from: no shipped scenario "${from}"${hint === undefined ? '' : ` (did you mean "${hint}"?)`}; choose from ${names.join(', ')}`);
  }
  const text = await readFile(files[index]!, 'utf8');
  const renamed = text.replace(/^name:\s*\S+/m, `name: ${name}`);
  return `# Started from isobench's scenarios/${from}.yaml (\`isobench init ${name} --from ${from}\`).\n${renamed}`;
}
