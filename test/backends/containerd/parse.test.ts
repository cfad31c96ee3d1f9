// ctr's output as this host's ctr 1.6.20 prints it (copied from real runs), parsed by hand.

import { describe, expect, it } from 'vitest';
import {
  normalizeRef,
  parseEvent,
  parseIds,
  parseImages,
  parseImported,
  parseRootOverlay,
  parseServerVersion,
  parseSnapshotUsage,
  parseTasks,
  sizeBytes,
} from '../../../src/backends/containerd/parse.js';

describe('ctr output', () => {
  it('reads the server version, not the client one', () => {
    const text = 'Client:\n  Version:  1.6.20~ds1-client\n  Revision: x\n\nServer:\n  Version:  1.6.20~ds1\n  Revision: 1.6.20~ds1-1+deb12u3\n  UUID: d75b\n';
    expect(parseServerVersion(text)).toBe('1.6.20~ds1');
    // No Server section (the daemon did not answer): null, not the client's version.
    expect(parseServerVersion('Client:\n  Version:  1.6.20\n')).toBeNull();
  });

  it('reads tasks and ids', () => {
    const text = 'TASK    PID      STATUS    \nc1      30496    RUNNING\nc2      0        STOPPED\n';
    expect(parseTasks(text)).toEqual([
      { id: 'c1', pid: 30496, status: 'RUNNING' },
      { id: 'c2', pid: 0, status: 'STOPPED' },
    ]);
    expect(parseTasks('TASK    PID    STATUS    \n')).toEqual([]);
    // No header at all (an error text): no rows.
    expect(parseTasks('ctr: something failed')).toEqual([]);
    expect(parseIds('a\n b \n\n')).toEqual(['a', 'b']);
  });

  it('reads exit, oom and start events of containers, and skips the rest', () => {
    const exit = '2026-12-02 00:59:50.952667863 +0000 UTC isobench /tasks/exit {"container_id":"c1","id":"c1","pid":30496,"exit_status":137,"exited_at":"2026-12-02T00:59:50.952492265Z"}';
    expect(parseEvent(exit)).toEqual({ topic: '/tasks/exit', containerId: 'c1', exitStatus: 137 });
    expect(parseEvent('2026-12-02 01:00:07.947750255 +0000 UTC isobench /tasks/oom {"container_id":"c2"}')).toEqual({ topic: '/tasks/oom', containerId: 'c2' });
    expect(parseEvent('2026-12-02 01:00:07.94022355 +0000 UTC isobench /tasks/start {"container_id":"c2","pid":21903}')).toEqual({ topic: '/tasks/start', containerId: 'c2', pid: 21903 });
    // An exec'd process exiting (id differs from container_id) is not the container's exit.
    expect(parseEvent('2026-12-02 00:59:50 +0000 UTC isobench /tasks/exit {"container_id":"c1","id":"exec1","exit_status":0}')).toBeUndefined();
    expect(parseEvent('2026-12-02 00:59:51 +0000 UTC isobench /tasks/delete {"container_id":"c1","pid":30496}')).toBeUndefined();
    expect(parseEvent('garbage')).toBeUndefined();
  });

  it("finds the overlay behind a container's root in mountinfo", () => {
    const mountinfo = [
      '249 250 0:60 / /proc rw,nosuid - proc proc rw',
      '250 116 0:118 / / rw,relatime - overlay overlay rw,lowerdir=/r/snapshots/2/fs:/r/snapshots/1/fs,upperdir=/r/snapshots/3/fs,workdir=/r/snapshots/3/work',
    ].join('\n');
    // overlayfs lists the top lower layer first: 2 then 1.
    expect(parseRootOverlay(mountinfo)).toEqual({ upperDir: '/r/snapshots/3/fs', lowerDirs: ['/r/snapshots/2/fs', '/r/snapshots/1/fs'] });
    expect(parseRootOverlay('250 116 8:1 / / rw - ext4 /dev/vda rw')).toBeNull();
  });

  it('reads sizes as ctr prints them (binary units)', () => {
    // 20.0 KiB = 20 * 1024 = 20480; 1.9 MiB = 1.9 * 1048576 = 1992294.4 -> 1992294.
    expect(parseSnapshotUsage('KEY  SIZE     INODES \nc1   20.0 KiB 5      \n')).toBe(20480);
    expect(sizeBytes('1.9 MiB')).toBe(1992294);
    expect(sizeBytes('512 B')).toBe(512);
    expect(sizeBytes('lots')).toBeNull();
    expect(parseSnapshotUsage('')).toBeNull();
  });

  it('reads images with their labels, and what an import unpacked', () => {
    const text =
      'REF                                 TYPE                                                 DIGEST                                                                  SIZE    PLATFORMS   LABELS     \n' +
      'docker.io/isobench/app:096c1314edcd application/vnd.docker.distribution.manifest.v2+json sha256:e79e7a03406cf675f56809c61002f98639b229af39b805bd311d589477c74c5d 1.9 MiB linux/amd64 isobench=1,isobench.key=096c \n' +
      'docker.io/library/x:1 application/vnd.oci.image.manifest.v1+json sha256:aa 2.0 KiB linux/amd64 - \n';
    expect(parseImages(text)).toEqual([
      { ref: 'docker.io/isobench/app:096c1314edcd', digest: 'sha256:e79e7a03406cf675f56809c61002f98639b229af39b805bd311d589477c74c5d', labels: { isobench: '1', 'isobench.key': '096c' } },
      { ref: 'docker.io/library/x:1', digest: 'sha256:aa', labels: {} },
    ]);
    expect(parseImported('unpacking docker.io/isobench/app:096c1314edcd (sha256:e79e7a03)...done\n')).toEqual(['docker.io/isobench/app:096c1314edcd']);
  });

  it('names references as containerd does', () => {
    expect(normalizeRef('isobench/web:1')).toBe('docker.io/isobench/web:1');
    expect(normalizeRef('busybox')).toBe('docker.io/library/busybox:latest');
    expect(normalizeRef('localhost:5000/a/b:2')).toBe('localhost:5000/a/b:2');
    expect(normalizeRef('docker.io/isobench/web:1')).toBe('docker.io/isobench/web:1');
  });
});
