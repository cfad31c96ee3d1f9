// Reading a container's memory cgroup from cgroupfs (Podman's compatible stats omit memory.stat).

import { describe, expect, it } from 'vitest';
import { memoryCgroupDir, parseMemoryStat } from '../../../src/backends/shared/cgroup-memory.js';

describe('memoryCgroupDir', () => {
  it('takes the v1 memory line of /proc/PID/cgroup (a Podman container here, cgroupfs manager)', () => {
    const text = '10:hugetlb:/\n4:memory:/libpod_parent/libpod-1c105fb5\n1:cpu,cpuacct:/libpod_parent/libpod-1c105fb5\n0::/\n';
    expect(memoryCgroupDir(text)).toBe('/sys/fs/cgroup/memory/libpod_parent/libpod-1c105fb5');
  });

  it('finds memory among joined v1 controllers, and the v1 root as the hierarchy itself', () => {
    expect(memoryCgroupDir('3:memory,hugetlb:/x\n')).toBe('/sys/fs/cgroup/memory/x');
    expect(memoryCgroupDir('4:memory:/\n')).toBe('/sys/fs/cgroup/memory');
  });

  it('falls back to the v2 unified line when no v1 hierarchy holds memory', () => {
    expect(memoryCgroupDir('0::/system.slice/libpod-abc.scope\n')).toBe('/sys/fs/cgroup/system.slice/libpod-abc.scope');
    expect(memoryCgroupDir('1:cpu:/\n')).toBeNull();
  });
});

describe('parseMemoryStat', () => {
  it('reads "key value" lines as numbers and skips anything else', () => {
    // Figures of a busybox container that wrote a 64 KiB file (memory.stat, cgroup v1, here).
    expect(parseMemoryStat('total_cache 65536\ntotal_rss 57344\ntotal_inactive_file 65536\n\nbroken line here\n')).toEqual({
      total_cache: 65536,
      total_rss: 57344,
      total_inactive_file: 65536,
    });
  });
});
