// One-time work for `cache: cold`: images fetched over the network and written to disk first.

import type { CommonProfile } from '../profiles/types.js';
import type { HostSpec } from '../scenario/types.js';
import type { Phase } from './phases.js';
import { formatBytes, formatRate } from '../units/format.js';

/** Pull compressed image content (layers, packages) and unpack it: network, then decompress-and-write. */
export function imageFetchPhases(what: string, bytes: number, host: HostSpec, common: CommonProfile): Phase[] {
  return fetchPhases(what, Math.round(bytes * common.compressionRatio.value), bytes, host, Math.min(host.diskWriteBytesPerSec, common.extractBytesPerSec.value));
}

/** Transfer `transferBytes` at the host's network rate, then write `diskBytes` at `writeBytesPerSec`. */
export function fetchPhases(what: string, transferBytes: number, diskBytes: number, host: HostSpec, writeBytesPerSec: number): Phase[] {
  if (diskBytes === 0) return [];
  return [
    {
      label: `fetch ${what}`,
      ms: (transferBytes / host.networkBytesPerSec) * 1000,
      resource: 'network',
      note: `${formatBytes(transferBytes)} at ${formatRate(host.networkBytesPerSec)} (host network)`,
    },
    {
      label: `unpack ${what}`,
      ms: (diskBytes / writeBytesPerSec) * 1000,
      resource: 'disk',
      note: `${formatBytes(diskBytes)} at ${formatRate(writeBytesPerSec)}`,
    },
  ];
}
