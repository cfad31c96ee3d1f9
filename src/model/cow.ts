// Copy-on-write at the three real granularities: filesystem blocks for a process writing in place,
// whole files for overlayfs copy-up, clusters for a qcow2 overlay. See mechanics.md.

import type { FileWrite } from '../scenario/types.js';
import { formatBytes } from '../units/format.js';

/** n rounded up to a multiple of unit. */
export function roundUp(n: number, unit: number): number {
  return unit <= 0 ? n : Math.ceil(n / unit) * unit;
}

/** Disk one file write costs, split into what was copied and what was written. */
export interface WriteCost {
  /** Bytes copied before the write (overlay copy-up; 0 elsewhere). */
  copiedBytes: number;
  /** Bytes newly allocated for the written data. */
  writtenBytes: number;
  /** How the figure was computed, for --explain. */
  note: string;
}

/**
 * A process writes the host's files in place, allocating filesystem blocks: create and append
 * allocate the written bytes (whole blocks); modify rewrites existing blocks and overwrite replaces
 * the one shared file, so neither adds bytes per instance.
 */
export function processWriteCost(file: FileWrite, blockBytes: number): WriteCost {
  if (file.mode === 'modify') return { copiedBytes: 0, writtenBytes: 0, note: 'in place: existing blocks rewritten' };
  // The processes share one install: an overwrite (O_TRUNC) replaces that one file in place, so it
  // holds the last write's bytes once, whichever instance wrote it; no instance adds a copy.
  if (file.mode === 'overwrite') return { copiedBytes: 0, writtenBytes: 0, note: 'overwrite (O_TRUNC) of the one shared install: replaced in place, no copy per instance' };
  const written = roundUp(file.writeBytes, blockBytes);
  return { copiedBytes: 0, writtenBytes: written, note: `${file.mode}: ${formatBytes(file.writeBytes)} in ${formatBytes(blockBytes)} blocks` };
}

/**
 * overlayfs: opening a lower file for writing copies the WHOLE file up first (modify, append);
 * O_TRUNC (overwrite) and new files copy nothing. The writable layer holds the file's final size.
 */
export function overlayWriteCost(file: FileWrite, blockBytes: number): WriteCost {
  switch (file.mode) {
    case 'create':
    case 'overwrite':
      return {
        copiedBytes: 0,
        writtenBytes: roundUp(file.writeBytes, blockBytes),
        note: `${file.mode}: no copy-up (${file.mode === 'overwrite' ? 'O_TRUNC' : 'new file'})`,
      };
    case 'modify': {
      const copied = roundUp(file.sizeBytes, blockBytes);
      return { copiedBytes: copied, writtenBytes: 0, note: `modify: whole ${formatBytes(file.sizeBytes)} file copied up, then ${formatBytes(file.writeBytes)} written in it` };
    }
    case 'append': {
      const copied = roundUp(file.sizeBytes, blockBytes);
      const total = roundUp(file.sizeBytes + file.writeBytes, blockBytes);
      return { copiedBytes: copied, writtenBytes: total - copied, note: `append: whole ${formatBytes(file.sizeBytes)} file copied up, then ${formatBytes(file.writeBytes)} appended` };
    }
  }
}

/**
 * qcow2 overlay: every guest write to a cluster not yet in the overlay allocates the whole cluster.
 * Files are taken to start on a cluster boundary; a modify writes at offset 0; an append writes
 * the byte range [size, size + write). `inImage` says whether the bytes already exist in the
 * disk the guest writes to (true for modify in a full copy: rewritten in place, nothing allocated).
 */
export function clusterWriteCost(file: FileWrite, clusterBytes: number, cloneHoldsImage: boolean): WriteCost {
  const clusters = (from: number, to: number): number => (to <= from ? 0 : Math.ceil(to / clusterBytes) - Math.floor(from / clusterBytes));
  let count: number;
  let how: string;
  switch (file.mode) {
    case 'create':
    case 'overwrite':
      count = clusters(0, file.writeBytes);
      how = `${file.mode}: ${formatBytes(file.writeBytes)} of new blocks`;
      break;
    case 'append':
      count = clusters(file.sizeBytes, file.sizeBytes + file.writeBytes);
      how = `append: bytes [${file.sizeBytes}, ${file.sizeBytes + file.writeBytes})`;
      break;
    case 'modify':
      if (cloneHoldsImage) return { copiedBytes: 0, writtenBytes: 0, note: 'modify: rewritten in place in the full copy' };
      count = clusters(0, file.writeBytes);
      how = `modify: ${formatBytes(file.writeBytes)} at offset 0 (the rest of the file stays in the base)`;
      break;
  }
  return { copiedBytes: 0, writtenBytes: count * clusterBytes, note: `${how} -> ${count} cluster(s) of ${formatBytes(clusterBytes)}` };
}
