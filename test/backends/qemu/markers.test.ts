import { describe, expect, it } from 'vitest';
import { SerialParser, parseLine } from '../../../src/backends/qemu/markers.js';

describe('SerialParser', () => {
  it('times each marker by the chunk its line started in, across chunk boundaries', () => {
    const parser = new SerialParser();
    expect(parser.push('@I\r\n@', 100)).toEqual([{ code: 'I', args: [], atMs: 100 }]);
    expect(parser.push('R 2300', 150)).toEqual([]);
    expect(parser.push('00 16000\r\n', 170)).toEqual([{ code: 'R', args: ['230000', '16000'], atMs: 100 }]);
    expect(parser.firstByteMs).toBe(100);
  });

  it('keeps other output as a tail for error messages', () => {
    const parser = new SerialParser();
    parser.push('Kernel panic - not syncing\n@E mount\n', 5);
    expect(parser.tail).toBe('Kernel panic - not syncing');
    expect(parser.events.map((e) => e.code)).toEqual(['E']);
  });
});

describe('parseLine', () => {
  it('finds a marker after other text on its line, and nothing in plain text', () => {
    expect(parseLine('[ 1.0] x @A', 7)).toEqual({ code: 'A', args: [], atMs: 7 });
    expect(parseLine('mail me at a@b.c', 7)).toBeNull();
  });
});
