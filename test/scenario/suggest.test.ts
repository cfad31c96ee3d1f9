import { describe, expect, it } from 'vitest';
import { suggest } from '../../src/scenario/suggest.js';

describe('suggest', () => {
  it('corrects a transposition within a third of the length', () => {
    // "instnaces" -> "instances": 2 edits, allowed floor(9/3) = 3.
    expect(suggest('instnaces', ['name', 'instances', 'app'])).toBe('instances');
    expect(suggest('dcoker-runc', ['docker-runc', 'crun', 'containerd-runc'])).toBe('docker-runc');
  });
  it('matches case-insensitively first', () => {
    expect(suggest('Mib', ['KiB', 'MiB', 'MB'])).toBe('MiB');
    expect(suggest('mb', ['MiB', 'MB'])).toBe('MB');
  });
  it('stays silent when nothing is close', () => {
    // "colour" vs "cache": 5 edits, allowed 2.
    expect(suggest('colour', ['name', 'description', 'cache'])).toBeUndefined();
    // "m" vs "ms": 1 edit, but allowed floor(2/3) = 0: too short to guess.
    expect(suggest('m', ['ms', 's', 'min'])).toBeUndefined();
    expect(suggest('', ['a'])).toBeUndefined();
    expect(suggest('abc', [])).toBeUndefined();
  });
});
