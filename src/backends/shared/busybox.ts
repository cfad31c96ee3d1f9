// The static busybox every real backend runs the app with (Debian's busybox-static): on the host
// directly, as the bottom layer of every built image, inside the QEMU guest's initramfs.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EngineError } from '../../errors.js';

/** Where busybox-static installs it. */
export const BUSYBOX_PATH = '/bin/busybox';

/** Reads the host's busybox and its digest (part of every image key). */
export async function readBusybox(path = BUSYBOX_PATH): Promise<{ bytes: Buffer; digest: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new EngineError(`Cannot read ${path}: install busybox-static with \`sudo scripts/setup-engines.sh docker\`.`, { cause: error });
  }
  return { bytes, digest: createHash('sha256').update(bytes).digest('hex') };
}
