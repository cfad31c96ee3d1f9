import { describe, expect, it } from 'vitest';
import { toCalibration } from '../../../src/backends/qemu/calibrate.js';
import { builtinCatalog, getParam } from '../../../src/profiles/catalog.js';
import { HYPERVISORS } from '../../../src/profiles/hypervisors.js';

const MiB = 1024 * 1024;

type Boots = Parameters<typeof toCalibration>[2];

function boot(name: string, ramBytes: number, appMemoryBytes: number, appStartupMs: number, touched: number, rss: number, diskBytes: number): Boots[number] {
  return {
    probe: { name, ramBytes, appMemoryBytes, appStartupMs, files: [] },
    // QEMU start 100, firmware 200, kernel 4000, init 600, app = startup + 50.
    timeline: { firmwareStartMs: 100, firmwareEndMs: 300, initMs: 4300, appMs: 4900, readyMs: 4950 + appStartupMs, writtenMs: 6000, exitMs: 6100 },
    memory: { qemu: { rssBytes: rss, pssBytes: rss, privateBytes: rss }, guestRamBytes: ramBytes, guestRamTouchedBytes: touched, guestTotalBytes: null, guestFreeBytes: null },
    cloneMs: 30,
    overlayInitialBytes: 200_704,
    disk: { bytes: diskBytes, clusterBytes: 65536, clustersAllocated: 0 },
    initramfsBytes: 2 * MiB,
  };
}

describe('toCalibration', () => {
  const boots = [
    boot('A', 128 * MiB, 0, 0, 100 * MiB, 200 * MiB, 200_704 + 2 * 65536),
    boot('B', 512 * MiB, 0, 500, 112 * MiB, 212 * MiB, 200_704 + 2 * 65536),
    boot('C', 256 * MiB, 64 * MiB, 0, 168 * MiB, 268 * MiB, 200_704 + 6 * 65536),
  ];
  const { overrides, host } = toCalibration({ version: '7.2', kernelVersion: '6.1' }, { accelerator: 'tcg', reason: 'test', decidedBy: 'env' }, boots, {
    kernelBytes: 14 * MiB,
    initramfsBytes: 2 * MiB,
    baseCachedBytes: 0,
  });

  it('keys every override by an existing parameter of the accelerator profile', () => {
    const catalog = builtinCatalog();
    for (const path of Object.keys(overrides)) {
      expect(path.startsWith('hypervisors.qemu-tcg.')).toBe(true);
      expect(getParam(catalog, path), path).toBeDefined();
    }
  });

  it('derives boot times, RAM-proportional touch, VMM overhead and qcow2 costs by hand-checkable arithmetic', () => {
    const value = (key: string): number | undefined => overrides[`hypervisors.qemu-tcg.${key}`]?.value;
    expect(value('vmmStartMs')).toBe(100);
    expect(value('firmwareMs')).toBe(200);
    expect(value('kernelMs.distro')).toBe(4000);
    // The slowdown is not calibrated from a sleep: init 600 ms / the built-in qemu-tcg slowdown.
    expect(value('guestCpuSlowdown')).toBeUndefined();
    expect(value('initCpuMs.kernel')).toBe(Math.round((600 / HYPERVISORS['qemu-tcg']!.guestCpuSlowdown.value) * 100) / 100);
    // (112 - 100) MiB over (512 - 128) MiB = 0.03125 -> 0.0313; base 100 MiB - 0.03125 x 128 MiB = 96 MiB.
    // Less struct pages (1/64 = 0.015625): 0.03125 - 0.015625 = 0.015625 -> 0.0156.
    expect(value('guestKernelPerRamRatio')).toBe(0.0156);
    expect(value('guestKernelBytes.distro')).toBe(96 * MiB);
    expect(value('vmmOverheadBytes')).toBe(100 * MiB);
    expect(value('bootWriteBytes.kernel')).toBe(2 * 65536);
    // C's overlay is 4 clusters above A's: 1 data cluster + 3 of metadata.
    expect(value('metadataClustersPerFile')).toBe(3);
    // C touched 168 MiB; expected without app 96 + 0.03125 x 256 = 104 MiB; 64 MiB more for 64 MiB of app.
    expect(host.qemuAppMemoryHostBytesPerByte).toBe(1);
  });
});

describe('toCalibration refuses what it did not measure', () => {
  it('writes no firmware, VMM or touched-memory parameter without a firmware log or smaps, and says why', () => {
    const blind = (name: string, ramBytes: number, appStartupMs: number): Boots[number] => {
      const b = boot(name, ramBytes, name === 'C' ? 64 * MiB : 0, appStartupMs, 0, 0, 200_704 + 2 * 65536);
      return { ...b, timeline: { ...b.timeline, firmwareStartMs: null, firmwareEndMs: null }, memory: { ...b.memory, qemu: null, guestRamTouchedBytes: null } };
    };
    const { overrides, notMeasured } = toCalibration(
      { version: '7.2', kernelVersion: '6.1' },
      { accelerator: 'tcg', reason: 'test', decidedBy: 'env' },
      [blind('A', 128 * MiB, 0), blind('B', 512 * MiB, 500), blind('C', 256 * MiB, 0)],
      {
        kernelBytes: 14 * MiB,
        initramfsBytes: 2 * MiB,
        baseCachedBytes: null,
      },
    );
    const hv = 'hypervisors.qemu-tcg';
    for (const key of ['vmmStartMs', 'firmwareMs', 'kernelMs.distro', 'guestCpuSlowdown', 'guestKernelPerRamRatio', 'guestKernelBytes.distro', 'vmmOverheadBytes', 'bootReadBytes.kernel']) {
      expect(overrides[`${hv}.${key}`], key).toBeUndefined();
      expect(
        notMeasured.some((line) => line.startsWith(`${hv}.${key}: not written:`)),
        key,
      ).toBe(true);
    }
    // What was measured is still written: init, divided by the built-in slowdown.
    expect(overrides[`${hv}.initCpuMs.kernel`]).toBeDefined();
    expect(notMeasured.find((line) => line.startsWith(`${hv}.guestCpuSlowdown`))).toContain('a sleep');
    expect(notMeasured.find((line) => line.startsWith(`${hv}.bootReadBytes.kernel`))).toContain('fincore');
  });
});
