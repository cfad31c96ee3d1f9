import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readScenarioText } from '../../src/scenario/read-file.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isobench-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function messageFor(file: string): Promise<string> {
  const read = await readScenarioText(file);
  if (read.ok) throw new Error('accepted');
  expect(read.problem.file).toBe(file);
  expect(read.problem.path).toBe('');
  return read.problem.message;
}

describe('readScenarioText', () => {
  it('reads UTF-8 text, without a byte order mark', async () => {
    const file = join(dir, 'ok.yaml');
    await writeFile(file, '\uFEFFname: café\n');
    expect(await readScenarioText(file)).toEqual({ ok: true, text: 'name: café\n' });
  });
  it('refuses a missing path and a folder', async () => {
    expect(await messageFor(join(dir, 'nope.yaml'))).toBe('does not exist');
    await mkdir(join(dir, 'folder.yaml'));
    expect(await messageFor(join(dir, 'folder.yaml'))).toBe('is a directory; expected a scenario file (.yaml)');
  });
  it('refuses a file over 1 MiB by its size: 1,048,577 bytes is one too many', async () => {
    const file = join(dir, 'big.yaml');
    await writeFile(file, Buffer.alloc(1024 * 1024 + 1, 0x61));
    expect(await messageFor(file)).toBe('is 1.00 MiB; a scenario file may be at most 1.00 MiB');
  });
  it('accepts exactly 1 MiB', async () => {
    const file = join(dir, 'max.yaml');
    await writeFile(file, `#${'a'.repeat(1024 * 1024 - 1)}`);
    expect((await readScenarioText(file)).ok).toBe(true);
  });
  it('refuses empty, whitespace-only, binary and non-UTF-8 files', async () => {
    const cases: [string, Buffer | string, string][] = [
      ['empty.yaml', '', 'is empty; expected a YAML mapping with name, description and services'],
      ['blank.yaml', ' \n\t\n', 'holds only whitespace; expected a YAML mapping with name, description and services'],
      ['nul.yaml', Buffer.from([0x6e, 0x00, 0x61]), 'is binary (it holds NUL bytes); expected a YAML text file'],
      ['latin1.yaml', Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'is not UTF-8 text (binary?); expected a YAML text file'],
    ];
    for (const [name, content, message] of cases) {
      await writeFile(join(dir, name), content);
      expect(await messageFor(join(dir, name))).toBe(message);
    }
  });
  it('refuses a device that is not a regular file', async () => {
    expect(await messageFor('/dev/zero')).toBe('is not a regular file; expected a scenario file (.yaml)');
  });
});
