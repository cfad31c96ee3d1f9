import { describe, expect, it } from 'vitest';
import { clusterWriteCost, overlayWriteCost, processWriteCost, roundUp } from '../../src/model/cow.js';
import type { FileWrite } from '../../src/scenario/types.js';

const KiB = 1024;
const MiB = 1024 ** 2;
const file = (mode: FileWrite['mode'], sizeBytes: number, writeBytes: number): FileWrite => ({ path: '/f', mode, sizeBytes, writeBytes });

describe('overlayfs copy-up (whole files)', () => {
  it('a 1-byte modify of a 100 MiB image file copies the whole 100 MiB up', () => {
    // copy-up = roundUp(100 MiB, 4 KiB) = 104857600; the byte lands inside it: written 0.
    expect(overlayWriteCost(file('modify', 100 * MiB, 1), 4 * KiB)).toMatchObject({ copiedBytes: 104857600, writtenBytes: 0 });
  });
  it('an overwrite (O_TRUNC) copies nothing: 1 byte costs one 4 KiB block', () => {
    expect(overlayWriteCost(file('overwrite', 100 * MiB, 1), 4 * KiB)).toMatchObject({ copiedBytes: 0, writtenBytes: 4096 });
  });
  it('an append copies the file up, then adds the appended bytes', () => {
    // copied = 10 MiB; final = roundUp(10 MiB + 1 MiB + 1 B, 4 KiB) = 11 MiB + 4 KiB; written = 1 MiB + 4 KiB.
    expect(overlayWriteCost(file('append', 10 * MiB, MiB + 1), 4 * KiB)).toMatchObject({
      copiedBytes: 10 * MiB,
      writtenBytes: MiB + 4 * KiB,
    });
  });
  it('a new file costs its written bytes in blocks', () => {
    // 2 MiB is a multiple of 4 KiB: exactly 2097152.
    expect(overlayWriteCost(file('create', 0, 2 * MiB), 4 * KiB)).toMatchObject({ copiedBytes: 0, writtenBytes: 2097152 });
  });
});

describe('qcow2 clusters', () => {
  const cluster = 64 * KiB;
  it('a 1-byte modify allocates one whole 64 KiB cluster in a linked overlay', () => {
    expect(clusterWriteCost(file('modify', 100 * MiB, 1), cluster, false).writtenBytes).toBe(65536);
  });
  it('a modify in a full copy is rewritten in place: nothing allocated', () => {
    expect(clusterWriteCost(file('modify', 100 * MiB, 1), cluster, true).writtenBytes).toBe(0);
  });
  it('an append straddling a cluster boundary allocates both clusters it touches', () => {
    // bytes [65535, 65537): clusters floor(65535/65536)=0 .. ceil(65537/65536)=2 -> 2 clusters = 131072.
    expect(clusterWriteCost(file('append', 65535, 2), cluster, false).writtenBytes).toBe(131072);
  });
  it('a 2 MiB new file allocates 32 clusters', () => {
    // 2 MiB / 64 KiB = 32 clusters = 2097152 bytes.
    expect(clusterWriteCost(file('create', 0, 2 * MiB), cluster, false).writtenBytes).toBe(2097152);
  });
});

describe('process writes in place (blocks)', () => {
  it('a modify rewrites existing blocks: 0 new bytes', () => {
    expect(processWriteCost(file('modify', 100 * MiB, 1), 4 * KiB).writtenBytes).toBe(0);
  });
  it('an overwrite (O_TRUNC) replaces the one shared file in place: no bytes per instance', () => {
    // 20 MiB rewritten as 20 MiB (ci-jobs' deps.db): the install's file is truncated and written again.
    expect(processWriteCost(file('overwrite', 20 * MiB, 20 * MiB), 4 * KiB).writtenBytes).toBe(0);
  });
  it('a 5000-byte create takes two 4 KiB blocks', () => {
    expect(processWriteCost(file('create', 0, 5000), 4 * KiB).writtenBytes).toBe(8192);
  });
  it('roundUp rounds to whole units', () => {
    expect([roundUp(0, 4096), roundUp(1, 4096), roundUp(4096, 4096), roundUp(4097, 4096)]).toEqual([0, 4096, 4096, 8192]);
  });
});
