import { describe, expect, it } from 'vitest';
import { toCalibration } from '../../src/calibrate/qemu.js';
import { builtinCatalog, getParam } from '../../src/profiles/catalog.js';

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
    // B's 500 ms sleep took 550 ms: slowdown 1.1; init 600 / 1.1 = 545.5.
    expect(value('guestCpuSlowdown')).toBe(1.1);
    expect(value('initCpuMs.kernel')).toBe(545.5);
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
