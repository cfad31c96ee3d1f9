// The pure parts of multi-node swarm runs: which nodes, which constraints, which network, where the
// tasks ran, which processes are a node's daemons, and the model as run on the nodes used.

import { describe, expect, it } from 'vitest';
import { daemonsOf, parseUnixListeners } from '../../../src/backends/shared/docker-daemons.js';
import { onNodesUsed } from '../../../src/backends/swarm/index.js';
import { constraintsFor, networkFor, parseEndpoints } from '../../../src/backends/swarm/nodes.js';
import { NODES_HERE, NODES_USED, nodesUsed } from '../../../src/backends/swarm/result.js';
import { tasksPerNode } from '../../../src/backends/swarm/run.js';
import type { PlatformResult } from '../../../src/report/types.js';
import { MiB, scenario, service } from '../docker/fixtures.js';

describe('swarm nodes', () => {
  it('reads ISOBENCH_SWARM_NODES as endpoints separated by commas or spaces, each once', () => {
    expect(parseEndpoints(undefined)).toEqual([]);
    expect(parseEndpoints(' ')).toEqual([]);
    expect(parseEndpoints('unix:///a.sock, unix:///b.sock unix:///a.sock,,tcp://h:2375')).toEqual(['unix:///a.sock', 'unix:///b.sock', 'tcp://h:2375']);
  });

  it('pins to the manager when no other node is reachable, else excludes only the unreachable nodes', () => {
    expect(constraintsFor('m', ['m', 'w1', 'w2'], ['m'])).toEqual({ spread: false, constraints: ['node.id==m'] });
    expect(constraintsFor('m', ['m', 'w1', 'w2'], ['m', 'w1', 'w2'])).toEqual({ spread: true, constraints: [] });
    // w2's engine does not answer: Swarm must not put a task there (its image would be missing).
    expect(constraintsFor('m', ['m', 'w1', 'w2'], ['m', 'w1'])).toEqual({ spread: true, constraints: ['node.id!=w2'] });
  });

  it('runs tasks without a network when two nodes share this kernel, and refuses an overlay there', () => {
    const here = { local: true };
    const away = { local: false };
    expect(networkFor([here], undefined)).toBe('overlay');
    expect(networkFor([here, away, away], undefined)).toBe('overlay');
    expect(networkFor([here, here, away], undefined)).toBe('none');
    expect(networkFor([here], 'none')).toBe('none');
    expect(networkFor([here, away], 'overlay')).toBe('overlay');
    expect(() => networkFor([here, here], 'overlay')).toThrow(/vxlan interface: file exists/);
    expect(() => networkFor([here], 'bridge')).toThrow(/"none" or "overlay"/);
  });

  it('counts ready tasks per node', () => {
    const done = Promise.resolve(undefined);
    const ready = (slot: number, nodeId: string) => ({ state: 'ready' as const, slot, nodeId, containerId: `c${slot}`, createdAtMs: 0, runningAtMs: 0, readyAtMs: 0, done });
    const failed = { state: 'failed' as const, slot: 4, containerId: null, reason: 'timeout' as const, message: 'x' };
    expect(tasksPerNode([ready(1, 'a'), ready(2, 'b'), ready(3, 'a'), failed])).toEqual({ a: 2, b: 1 });
  });

  it('keeps the nodes that ran a task in any measured batch', () => {
    const nodes = ['a', 'b', 'c'].map((id) => ({ id, endpoint: `unix:///${id}`, manager: id === 'a', local: true }));
    expect(nodesUsed(nodes, [{ a: 3 }, { a: 2, c: 1 }]).map((n) => n.id)).toEqual(['a', 'c']);
    expect(nodesUsed(nodes, [{ b: 0 }])).toEqual([]);
  });
});

describe("a node's daemons", () => {
  it('finds the listening unix sockets in /proc/net/unix', () => {
    // Flags 00010000 is __SO_ACCEPTCON: listening; the second line is a connected socket, the third has no path.
    const text = [
      'Num       RefCount Protocol Flags    Type St Inode Path',
      '000000006d265721: 00000002 00000000 00010000 0001 01 1317619 /var/run/docker.sock',
      '0000000011111111: 00000003 00000000 00000000 0001 03 2000001 /var/run/docker.sock',
      '0000000022222222: 00000002 00000000 00010000 0001 01 2000002',
      '0000000033333333: 00000002 00000000 00010000 0001 01 2000003 /run/isobench nodes/node2/docker.sock',
    ].join('\n');
    expect(parseUnixListeners(text)).toEqual([
      { inode: 1317619, path: '/var/run/docker.sock' },
      { inode: 2000003, path: '/run/isobench nodes/node2/docker.sock' },
    ]);
  });

  it("takes the dockerd's own containerd, else a system one, never another daemon's", () => {
    const p = (pid: number, comm: string, ppid: number) => ({ pid, comm, ppid, pgrp: pid });
    const main = p(10, 'dockerd', 1);
    const worker = p(20, 'dockerd', 1);
    const processes = [main, worker, p(11, 'containerd', 1), p(21, 'containerd', 20), p(31, 'containerd', 30)];
    // The worker started containerd 21; the main dockerd uses the system containerd 11 (a child of init).
    expect(daemonsOf(worker, processes).map((d) => d.pid)).toEqual([20, 21]);
    expect(daemonsOf(main, processes).map((d) => d.pid)).toEqual([10, 11]);
  });
});

describe('swarm model as run on the nodes used', () => {
  const s = scenario('s', [service('web', 6, [['t', 1 * MiB]], { memoryBytes: 4 * MiB })], 6);
  const measuredOn = (used: number, here: number): PlatformResult =>
    ({
      breakdown: {
        startup: [],
        memory: [],
        disk: [],
        capacity: [
          { label: NODES_USED, value: used, unit: 'count' },
          { label: NODES_HERE, value: here, unit: 'count' },
        ],
      },
    }) as unknown as PlatformResult;

  it('models as many hosts as the swarm ran tasks on, spread', () => {
    const asked = { ...s, cluster: { hosts: 3, placement: 'binpack' as const } };
    const modeled = onNodesUsed(asked, measuredOn(3, 3));
    expect(modeled.scenario.cluster).toEqual({ hosts: 3, placement: 'spread' });
    expect(modeled.notes.join(' ')).toMatch(/binpack/);
    expect(modeled.notes.join(' ')).toMatch(/3 of the measured nodes are daemons sharing this one machine/);
  });

  it('models one host when every task ran on one node, and says so when the scenario asked for more', () => {
    const modeled = onNodesUsed({ ...s, cluster: { hosts: 3, placement: 'spread' } }, measuredOn(1, 1));
    expect(modeled.scenario.cluster).toBeUndefined();
    expect(modeled.notes).toEqual(['modeled on one host, as measured: every task ran on one swarm node (the scenario asks for 3 hosts)']);
    // No placement item (a result without it, as before multi-node runs): one host, no note.
    expect(onNodesUsed(s, undefined)).toEqual({ scenario: s, notes: [] });
  });

  it('models the nodes used when fewer than the scenario asks', () => {
    const modeled = onNodesUsed({ ...s, cluster: { hosts: 3, placement: 'spread' } }, measuredOn(2, 0));
    expect(modeled.scenario.cluster).toEqual({ hosts: 2, placement: 'spread' });
    expect(modeled.notes).toEqual(['modeled on 2 hosts, as measured: Swarm ran the tasks on 2 nodes (the scenario asks for 3)']);
  });
});
