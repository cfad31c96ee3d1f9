import { describe, expect, it } from 'vitest';
import { binpack, type HowMany, spread } from '../../src/model/placement.js';

describe('spread: fewest of the service, then fewest in all, then lowest index (as Swarm)', () => {
  it('three services of 2, 2 and 1 replicas over 3 hosts', () => {
    // Service 0: hosts 0 and 1 (all empty, lowest index). Service 1: host 2 (0 in all), then host 0
    // (hosts 0 and 1 hold 1 each: lowest index). Service 2: hosts 1 and 2 hold 1, host 0 holds 2: host 1.
    const shares = spread([2, 2, 1], 3);
    expect(shares.map((s) => s.counts)).toEqual([
      [1, 1, 0],
      [1, 0, 1],
      [0, 1, 0],
    ]);
    expect(shares.map((s) => s.replicas)).toEqual([
      [[0], [1], []],
      [[1], [], [0]],
      [[], [0], []],
    ]);
  });

  it('7 replicas over 3 hosts: 3, 2, 2, replica r on host r mod 3', () => {
    expect(spread([7], 3).map((s) => s.replicas[0])).toEqual([
      [0, 3, 6],
      [1, 4],
      [2, 5],
    ]);
  });

  it('without replica lists: the same counts, empty lists', () => {
    const shares = spread([2, 2, 1], 3, false);
    expect(shares.map((s) => s.counts)).toEqual(spread([2, 2, 1], 3).map((s) => s.counts));
    expect(shares.every((s) => s.replicas.every((r) => r.length === 0))).toBe(true);
  });
});

describe('binpack: first fit, hosts filled in order', () => {
  // A host holds 4 instances whatever they are.
  const fourPerHost: HowMany = (counts, _service, wanted) => Math.min(wanted, 4 - counts.reduce((a, b) => a + b, 0));

  it('3 + 3 instances on 3 hosts: host 0 takes 3 + 1, host 1 the other 2, host 2 nothing', () => {
    const { shares, overflow } = binpack([3, 3], 3, fourPerHost);
    expect(shares.map((s) => s.counts)).toEqual([
      [3, 1],
      [0, 2],
      [0, 0],
    ]);
    expect(shares[1]!.replicas[1]).toEqual([1, 2]);
    expect(overflow).toBe(0);
  });

  it('unbounded: opens as many hosts as it fills (2 here)', () => {
    expect(binpack([3, 3], null, fourPerHost).shares).toHaveLength(2);
  });

  it('what fits nowhere (2 of 10 on 2 hosts of 4) goes round-robin, fewest first', () => {
    // Host 0: service 0 x4; host 1: service 0 x1 + service 1 x3; replicas 3 and 4 of service 1 are left:
    // both hosts hold 4, so host 0 then host 1.
    const { shares, overflow } = binpack([5, 5], 2, fourPerHost);
    expect(overflow).toBe(2);
    expect(shares.map((s) => s.counts)).toEqual([
      [4, 1],
      [1, 4],
    ]);
    expect(shares.map((s) => s.replicas[1])).toEqual([[3], [0, 1, 2, 4]]);
  });
});
