// Layer and file contents: incompressible and reproducible, so a layer shared by id holds the same
// bytes in every image and on the host install, and no filesystem can compress or dedupe it away.

import { createCipheriv, createHash } from 'node:crypto';

const CHUNK = 1024 * 1024;

/** Incompressible bytes: AES-128-CTR keystream keyed by the seed's hash. Same seed, same bytes. */
export function* randomBytes(seed: string, size: number): Generator<Buffer> {
  const digest = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-128-ctr', digest.subarray(0, 16), digest.subarray(16, 32));
  const zeros = Buffer.alloc(CHUNK, 0);
  for (let left = size; left > 0; left -= CHUNK) {
    yield cipher.update(left >= CHUNK ? zeros : zeros.subarray(0, left));
  }
}
