import { describe, expect, it } from 'vitest';
import { MIN_BASE_BYTES, baseImageBytes } from '../../../src/backends/qemu/disk.js';

const MiB = 1024 * 1024;

describe('baseImageBytes', () => {
  it("keeps the scenario's image size (rounded up to a MiB) when ext4 and the files fit", () => {
    expect(baseImageBytes(100 * MiB + 1, [])).toEqual({ bytes: 101 * MiB, note: null });
  });

  it('enlarges a base too small for ext4 or for the files it must hold, and says so', () => {
    expect(baseImageBytes(1 * MiB, []).bytes).toBe(MIN_BASE_BYTES);
    // 40 MiB file modified by 1 MiB: (41 x 1.2 + 16) MiB = 65.2 MiB -> 66 MiB.
    const sized = baseImageBytes(32 * MiB, [{ path: 'f', sizeBytes: 40 * MiB, writeBytes: 1 * MiB, mode: 'modify' }]);
    expect(sized.bytes).toBe(66 * MiB);
    expect(sized.note).toMatch(/enlarged/);
  });
});

describe('base images shared by vm.image.id', () => {
  it('hold every file their services write into, once per path at the largest size', async () => {
    const { filesInImage } = await import('../../../src/backends/qemu/run.js');
    const files = filesInImage([
      { path: '/usr/lib/big.so', sizeBytes: 10, writeBytes: 1, mode: 'modify' },
      { path: '/var/log/a.log', sizeBytes: 0, writeBytes: 5, mode: 'create' },
      { path: '/usr/lib/big.so', sizeBytes: 30, writeBytes: 1, mode: 'append' },
    ]);
    expect(files.map((f) => `${f.path}:${f.sizeBytes}`)).toEqual(['/usr/lib/big.so:30', '/var/log/a.log:0']);
  });
});
