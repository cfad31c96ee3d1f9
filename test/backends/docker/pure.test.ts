import { describe, expect, it } from 'vitest';
import { layerEntries } from '../../../src/backends/shared/image-archive.js';
import { planImages } from '../../../src/backends/shared/image-plan.js';
import { engineCandidates, noEngineMessage } from '../../../src/backends/shared/docker-locate.js';
import { DOCKER_FLAVOUR, engineFailure, progressError } from '../../../src/backends/shared/docker-client.js';
import { dockerDaemons } from '../../../src/backends/shared/docker-api/measure.js';
import { EngineError } from '../../../src/errors.js';
import { uniqueLayers } from '../../../src/backends/shared/docker-api/result.js';
import { archiveBytes, tarHeader } from '../../../src/backends/shared/tar.js';
import { MiB, service } from './fixtures.js';

describe('engine location', () => {
  it('follows DOCKER_HOST, else the system socket, then rootless and Docker Desktop sockets', () => {
    expect(engineCandidates({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, '/home/u')).toEqual([{ kind: 'unix', socketPath: '/run/user/1000/docker.sock', from: 'DOCKER_HOST' }]);
    expect(engineCandidates({ DOCKER_HOST: 'tcp://10.0.0.2:2376' }, '/home/u')[0]).toEqual({ kind: 'remote', url: 'tcp://10.0.0.2:2376', from: 'DOCKER_HOST' });
    expect(engineCandidates({ DOCKER_HOST: 'ssh://me@box' }, '/home/u')[0]?.kind).toBe('remote');
    expect(engineCandidates({ XDG_RUNTIME_DIR: '/run/user/1000' }, '/home/u').map((c) => (c.kind === 'unix' ? c.socketPath : c.url))).toEqual([
      '/var/run/docker.sock',
      '/run/user/1000/docker.sock',
      '/home/u/.docker/run/docker.sock',
    ]);
  });

  it('says in one sentence how to start an engine', () => {
    const message = noEngineMessage({ kind: 'unix', socketPath: '/var/run/docker.sock', from: 'default socket' }, 'no such socket');
    expect(message).toBe('No Docker engine answers at /var/run/docker.sock (no such socket): start one with `sudo scripts/setup-engines.sh docker` or point DOCKER_HOST at a running engine.');
  });

  it('finds failures inside a 200 progress stream', () => {
    expect(progressError('{"stream":"Loaded image"}\n{"errorDetail":{"message":"bad layer"},"error":"bad layer"}\n')).toBe('bad layer');
    expect(progressError('{"stream":"Loaded image: x"}\n')).toBeUndefined();
  });
});

describe('engine failures (every Docker API wrapper: docker, swarm, podman)', () => {
  const endpoint = 'unix:///var/run/docker.sock';
  it('says the daemon went away when the socket refuses or drops, with how to start it', () => {
    const refused = engineFailure(endpoint, DOCKER_FLAVOUR, 'list tasks', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect(refused).toBeInstanceOf(EngineError);
    expect(refused.message).toMatch(
      /^the Docker engine at unix:\/\/\/var\/run\/docker\.sock stopped answering during list tasks \(ECONNREFUSED: the daemon is stopped or restarting\); start it again/,
    );
    expect(engineFailure(endpoint, DOCKER_FLAVOUR, 'create service', new Error('socket hang up')).message).toContain('stopped answering during create service');
  });
  it('names the HTTP status of a refusal, and passes an EngineError through', () => {
    const refusal = Object.assign(new Error('x'), { statusCode: 409, json: { message: 'name in use' } });
    expect(engineFailure(endpoint, DOCKER_FLAVOUR, 'create network', refusal).message).toBe('Docker refused create network (HTTP 409): name in use');
    const own = new EngineError('Docker did not answer ping within 10 s');
    expect(engineFailure(endpoint, DOCKER_FLAVOUR, 'ping', own)).toBe(own);
  });
});

describe("the Docker engine's daemons", () => {
  it("counts dockerd and the containerd it started, not another run's containerd", () => {
    const proc = (pid: number, comm: string, ppid: number) => ({ pid, comm, ppid, pgrp: pid });
    const dockerd = proc(10, 'dockerd', 1);
    const its = proc(11, 'containerd', 10);
    const isobenchs = proc(50, 'containerd', 40); // a containerd run's own daemon (child of node)
    const system = proc(12, 'containerd', 1);
    expect(dockerDaemons([dockerd, its, isobenchs, proc(60, 'sleep', 11)]).map((p) => p.pid)).toEqual([10, 11]);
    // dockerd on the system containerd (a child of init): that one.
    expect(dockerDaemons([dockerd, system, isobenchs]).map((p) => p.pid)).toEqual([10, 12]);
  });
});

describe('tar', () => {
  it('sizes an archive: 512-byte headers, content padded to 512, two end blocks', () => {
    // dir (512) + file of 1000 B (512 header + 1024 content) + symlink (512) + end (1024) = 3584
    expect(
      archiveBytes([
        { type: 'dir', path: 'a' },
        { type: 'file', path: 'a/f', size: 1000 },
        { type: 'symlink', path: 'a/l', target: 'f' },
      ]),
    ).toBe(3584);
  });

  it('writes identical headers for identical entries, with a valid checksum', () => {
    const a = tarHeader({ type: 'file', path: 'isobench/layers/base.bin', size: 12345 });
    const b = tarHeader({ type: 'file', path: 'isobench/layers/base.bin', size: 12345 });
    expect(a.equals(b)).toBe(true);
    // The checksum is the byte sum with the checksum field read as 8 spaces.
    const copy = Buffer.from(a);
    copy.write('        ', 148, 8, 'ascii');
    const sum = copy.reduce((s, byte) => s + byte, 0);
    expect(Number.parseInt(a.subarray(148, 154).toString('ascii'), 8)).toBe(sum);
    expect(a.subarray(124, 135).toString('ascii')).toBe((12345).toString(8).padStart(11, '0'));
  });
});

describe('image plan', () => {
  const busybox = { bytes: 2 * MiB, digest: 'd' };
  it('gives a layer shared by id the same content in every image, with busybox in the bottom layer', () => {
    const [a, b] = planImages(
      [
        service('a', 1, [
          ['base', 10 * MiB],
          ['py', 4 * MiB],
        ]),
        service('b', 1, [
          ['base', 10 * MiB],
          ['node', 3 * MiB],
        ]),
      ],
      busybox,
    );
    expect(a!.layers[0]).toEqual(b!.layers[0]);
    // base: busybox 2 MiB + filler 8 MiB = its 10 MiB
    expect(a!.layers[0]!.contentBytes).toBe(10 * MiB);
    expect(a!.layers[0]!.files.map((f) => f.kind)).toEqual(['busybox', 'random']);
    expect(layerEntries(a!.layers[0]!).map((e) => e.path)).toEqual(['bin', 'isobench', 'isobench/layers', 'bin/sh', 'bin/true', 'bin/busybox', 'isobench/layers/base.bin']);
    expect(a!.key).not.toBe(b!.key);
  });

  it('puts the files an app modifies into its own top layer, within the layer size', () => {
    const [plan] = planImages(
      [
        service(
          'api',
          1,
          [
            ['base', 10 * MiB],
            ['app', 5 * MiB],
          ],
          { files: [{ path: '/usr/lib/big.so', sizeBytes: 3 * MiB, writeBytes: 1, mode: 'modify' }] },
        ),
      ],
      busybox,
    );
    const top = plan!.layers[1]!;
    // 3 MiB file + 2 MiB filler = the layer's 5 MiB
    expect(top.files.map((f) => [f.path, f.size])).toEqual([
      ['isobench/layers/app.bin', 2 * MiB],
      ['usr/lib/big.so', 3 * MiB],
    ]);
    expect(plan!.layers).toHaveLength(2);
  });

  it('carves the files into a shared top layer when every image has it on top, identically', () => {
    const plans = planImages(
      [
        service('a', 1, [['base', 10 * MiB]], { files: [{ path: '/data/f', sizeBytes: 1 * MiB, writeBytes: 10, mode: 'append' }] }),
        service('b', 1, [['base', 10 * MiB]], { files: [{ path: '/data/f', sizeBytes: 1 * MiB, writeBytes: 10, mode: 'overwrite' }] }),
      ],
      busybox,
    );
    // base: busybox 2 MiB + /data/f 1 MiB + filler 7 MiB = 10 MiB, the same bytes in both images
    expect(plans[0]!.layers).toEqual(plans[1]!.layers);
    expect(plans[0]!.layers.map((l) => [l.id, l.contentBytes])).toEqual([['base', 10 * MiB]]);
  });

  it('adds a files layer when the top layer is shared with an image that has more above it, and says so', () => {
    const plans = planImages(
      [
        service('a', 1, [
          ['base', 10 * MiB],
          ['x', 1 * MiB],
        ]),
        service('b', 1, [['base', 10 * MiB]], { files: [{ path: '/data/f', sizeBytes: 1 * MiB, writeBytes: 10, mode: 'append' }] }),
      ],
      busybox,
    );
    expect(plans[1]!.layers.map((l) => [l.id, l.contentBytes, l.added])).toEqual([
      ['base', 10 * MiB, false],
      ['b-files', 1 * MiB, true],
    ]);
    expect(plans[1]!.notes.join(' ')).toContain('added top layer');
    expect(plans[0]!.layers[0]).toEqual(plans[1]!.layers[0]);
  });

  it('is deterministic: the same scenario gives the same key', () => {
    const make = () => planImages([service('a', 1, [['base', 10 * MiB]])], busybox)[0]!.key;
    expect(make()).toBe(make());
  });
});

describe('unique layers', () => {
  it('counts a layer once per DiffID chain, as the engine stores it', () => {
    const image = (service: string, diffIds: string[], layerBytes: number[]) => ({
      service,
      ref: service,
      built: false,
      buildMs: 0,
      layers: { id: service, diffIds, layerBytes, sizeBytes: 0, labels: {} },
    });
    // a: [x(10), y(4)], b: [x(10), z(3)], c: [z(3)] -> x, y, z-on-x, z-alone = 10 + 4 + 3 + 3 = 20
    const layers = uniqueLayers([image('a', ['x', 'y'], [10, 4]), image('b', ['x', 'z'], [10, 3]), image('c', ['z'], [3])]);
    expect(layers.reduce((s, l) => s + l.bytes, 0)).toBe(20);
  });
});

describe('image plan with fork-app', () => {
  it('puts fork-app in every built image bottom layer when a service forks, and keys the images by its digest', () => {
    const busybox = { bytes: 2 * MiB, digest: 'b' };
    const forking = { ...service('a', 1, [['base', 10 * MiB]]) };
    forking.app = { ...forking.app, fork: { workers: 2, writesRatio: 0.1 } };
    const plain = service('b', 1, [['base', 10 * MiB]]);
    const [a, b] = planImages([forking, plain], busybox, { bytes: 700_000, digest: 'f1' });
    // The same bottom layer id holds the same bytes in both images: fork-app is in both.
    expect(a!.layers[0]).toEqual(b!.layers[0]);
    expect(a!.layers[0]!.files.map((f) => `${f.kind} ${f.path} ${f.size}`)).toContain('fork-app isobench/fork-app 700000');
    // busybox 2 MiB + fork-app 700,000 B + filler = the layer's 10 MiB.
    expect(a!.layers[0]!.contentBytes).toBe(10 * MiB);
    const [other] = planImages([forking, plain], busybox, { bytes: 700_000, digest: 'f2' });
    expect(other!.key).not.toBe(a!.key);
    expect(planImages([plain], busybox)[0]!.layers[0]!.files.map((f) => f.kind)).toEqual(['busybox', 'random']);
  });
});
