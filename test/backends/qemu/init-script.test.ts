import { describe, expect, it } from 'vitest';
import { guestPath, initScript, quote } from '../../../src/backends/qemu/init-script.js';

const plan = {
  modules: ['virtio_ring', 'virtio_blk'],
  disk: true,
  appMemoryBytes: 3 * 1024 * 1024 + 5,
  appStartupMs: 250,
  files: [
    { path: '/var/log/app.log', sizeBytes: 4096, writeBytes: 10, mode: 'append' as const },
    { path: "it's", sizeBytes: 0, writeBytes: 1, mode: 'create' as const },
    { path: '/db', sizeBytes: 8192, writeBytes: 100, mode: 'modify' as const },
  ],
};

describe('initScript', () => {
  const script = initScript(plan);

  it('signals init first, loads modules in order, mounts the disk, then starts the app', () => {
    const order = ['$B echo @I', 'insmod /lib/modules/virtio_ring.ko', 'insmod /lib/modules/virtio_blk.ko', 'mount -t ext4', '$B echo @A'];
    const positions = order.map((text) => script.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('holds app.memory in a tmpfs, waits app.startup in seconds, and waits for the host at ready', () => {
    expect(script).toContain('fill 3145733 >/app/memory');
    expect(script).toContain('$B sleep 0.250');
    expect(script.indexOf('read -r answer')).toBeGreaterThan(script.indexOf('@R $1 $2'));
  });

  it('writes each file after ready with the shell form of its mode', () => {
    const afterReady = script.slice(script.indexOf('read -r answer'));
    expect(afterReady).toContain("fill 10 >>'/mnt/var/log/app.log'");
    expect(afterReady).toContain(`fill 1 >'/mnt/it'"'"'s'`);
    expect(afterReady).toContain("fill 100 | $B dd of='/mnt/db' conv=notrunc");
    expect(afterReady.indexOf('$B sync')).toBeLessThan(afterReady.indexOf('@W'));
  });

  it('a probe guest (no disk) loads no module and writes nothing', () => {
    const probe = initScript({ modules: ['virtio_blk'], disk: false, appMemoryBytes: 0, appStartupMs: 0, files: [] });
    expect(probe).not.toContain('insmod');
    expect(probe).not.toContain('/dev/vda');
    expect(probe).not.toContain('sleep 0');
  });
});

describe('guestPath and quote', () => {
  it('keeps paths on the guest disk', () => {
    expect(guestPath('data/x')).toBe('/mnt/data/x');
    expect(guestPath('/a/./b')).toBe('/mnt/a/b');
    expect(() => guestPath('../../etc/passwd')).not.toThrow(); // normalised under / first: /etc/passwd
    expect(guestPath('../../etc/passwd')).toBe('/mnt/etc/passwd');
    expect(() => guestPath('/')).toThrow(RangeError);
  });

  it('single-quotes for sh', () => {
    expect(quote("a'b")).toBe(`'a'"'"'b'`);
  });
});
