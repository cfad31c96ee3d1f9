import { describe, expect, it } from 'vitest';
import { cpioNewc } from '../../../src/backends/qemu/cpio.js';

describe('cpioNewc', () => {
  it('writes a newc header, the name and the data, each padded to 4 bytes, then the trailer', () => {
    const archive = cpioNewc([{ kind: 'file', path: '/a', data: Buffer.from('hi') }]);
    // mode 0o100644 = 0x81A4; namesize 2 ("a\0"); filesize 2.
    const header = '070701' + ['1', '81A4', '0', '0', '1', '0', '2', '0', '0', '0', '0', '2', '0'].map((f) => f.padStart(8, '0')).join('');
    expect(archive.subarray(0, 110).toString('ascii')).toBe(header);
    // 110 + 2 name bytes = 112 (aligned), data at 112..114, padded to 116.
    expect(archive.subarray(110, 112).toString('binary')).toBe('a\0');
    expect(archive.subarray(112, 116).toString('binary')).toBe('hi\0\0');
    // Trailer at 116: 110 + 11 ("TRAILER!!!\0") = 237, padded to 240.
    expect(archive.subarray(116 + 110, 116 + 120).toString('binary')).toBe('TRAILER!!!');
    expect(archive.length).toBe(240);
  });

  it('gives directories and character devices their type bits and no data', () => {
    const archive = cpioNewc([
      { kind: 'dir', path: 'bin' },
      { kind: 'char', path: 'dev/console', major: 5, minor: 1 },
    ]).toString('ascii');
    // dir: 0o040755 = 0x41ED; char: 0o020600 = 0x2180 with rdev 5:1.
    expect(archive.slice(14, 22)).toBe('000041ED');
    const second = archive.indexOf('070701', 1);
    expect(archive.slice(second + 14, second + 22)).toBe('00002180');
    expect(archive.slice(second + 78, second + 94)).toBe('0000000500000001');
  });

  it('is deterministic: the same entries give the same bytes', () => {
    const entries = [{ kind: 'file' as const, path: 'init', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 }];
    expect(cpioNewc(entries).equals(cpioNewc(entries))).toBe(true);
  });
});
