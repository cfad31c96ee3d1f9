// `isobench validate FILE...`: checks scenario files only; nothing is evaluated or written.

import { builtinCatalog } from '../profiles/catalog.js';
import { EXIT } from './exit-codes.js';
import { loadHostProfile } from '../profiles/profile-file.js';
import { loadScenarios } from '../scenario/load.js';
import type { CliIo } from './io.js';

/** Prints one line per valid scenario; any problem throws InputError (exit 2). */
export async function runValidate(files: string[], profileFile: string | undefined, io: CliIo): Promise<number> {
  const builtin = builtinCatalog();
  const catalog = profileFile === undefined ? builtin : await loadHostProfile(profileFile, builtin);
  const scenarios = await loadScenarios(files, catalog);
  for (const scenario of scenarios) {
    io.out(`ok ${scenario.file}: ${scenario.name}, ${plural(scenario.services.length, 'service')}, ${plural(scenario.totalInstances, 'instance')}\n`);
  }
  return EXIT.ok;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
