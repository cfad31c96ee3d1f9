import { describe, expect, it } from 'vitest';
import { mappingRss, parseSmapsRollup } from '../../../src/backends/qemu/proc-memory.js';

describe('parseSmapsRollup', () => {
  it('reads Rss, Pss and private pages in bytes', () => {
    const text = 'Rss:   1000 kB\nPss:    900 kB\nPrivate_Clean:  100 kB\nPrivate_Dirty:  700 kB\n';
    // 1000 kB = 1,024,000 B; private = (100 + 700) x 1024 = 819,200 B.
    expect(parseSmapsRollup(text)).toEqual({ rssBytes: 1_024_000, pssBytes: 921_600, privateBytes: 819_200 });
  });
});

describe('mappingRss', () => {
  it('sums the Rss of mappings exactly the given size (the guest RAM block)', () => {
    const smaps = [
      '7f0000000000-7f0010000000 rw-p 00000000 00:00 0', // 256 MiB
      'Rss:   131072 kB',
      '7f0020000000-7f0020100000 rw-p 00000000 00:00 0', // 1 MiB
      'Rss:   1024 kB',
    ].join('\n');
    expect(mappingRss(smaps, 256 * 1024 * 1024)).toBe(128 * 1024 * 1024);
    expect(mappingRss(smaps, 2 * 1024 * 1024)).toBeNull();
  });
});
