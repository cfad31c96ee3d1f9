// A minimal, deterministic ustar writer: fixed owners and mtimes, so the same entries always give the
// same bytes (and so the same layer digest on the engine).

export const BLOCK = 512;
/** Every entry's mtime: fixed, so layers built on different days are byte-identical. */
export const FIXED_MTIME = 1_577_836_800; // 2020-01-01T00:00:00Z

export type TarEntryHeader = { type: 'file'; path: string; size: number; mode?: number } | { type: 'dir'; path: string; mode?: number } | { type: 'symlink'; path: string; target: string };

/** The 512-byte header of one entry. Paths are relative ("bin/busybox"); directories end in "/". */
export function tarHeader(entry: TarEntryHeader): Buffer {
  const header = Buffer.alloc(BLOCK, 0);
  const path = entry.type === 'dir' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  const { name, prefix } = splitPath(path);
  header.write(name, 0, 100, 'utf8');
  const mode = entry.type === 'symlink' ? 0o777 : (entry.mode ?? (entry.type === 'dir' ? 0o755 : 0o644));
  writeOctal(header, mode, 100, 8);
  writeOctal(header, 0, 108, 8); // uid
  writeOctal(header, 0, 116, 8); // gid
  writeSize(header, entry.type === 'file' ? entry.size : 0);
  writeOctal(header, FIXED_MTIME, 136, 12);
  header.write('        ', 148, 8, 'ascii'); // checksum placeholder: spaces
  header.write(entry.type === 'file' ? '0' : entry.type === 'dir' ? '5' : '2', 156, 1, 'ascii');
  if (entry.type === 'symlink') header.write(entry.target, 157, 100, 'utf8');
  header.write('ustar\u000000', 257, 8, 'binary');
  header.write('root', 265, 32, 'ascii');
  header.write('root', 297, 32, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'binary');
  return header;
}

/** Zero bytes that pad `size` bytes of content up to a whole block. */
export function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest, 0);
}

/** The two zero blocks that end an archive. */
export function endOfArchive(): Buffer {
  return Buffer.alloc(BLOCK * 2, 0);
}

/** Bytes an archive of these entries takes (headers, content padded to blocks, end blocks). Pure. */
export function archiveBytes(entries: readonly TarEntryHeader[]): number {
  let total = BLOCK * 2;
  for (const entry of entries) {
    total += BLOCK;
    if (entry.type === 'file') total += entry.size + padding(entry.size).length;
  }
  return total;
}

function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let cut = path.lastIndexOf('/', path.length - 2); cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  throw new RangeError(`path too long for a tar header: ${path}`);
}

function writeOctal(header: Buffer, value: number, offset: number, length: number): void {
  header.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}

/** Sizes up to 8 GiB in octal; larger ones in GNU base-256 (first byte 0x80). */
function writeSize(header: Buffer, size: number): void {
  if (size < 8 ** 11) {
    writeOctal(header, size, 124, 12);
    return;
  }
  header[124] = 0x80;
  let rest = BigInt(size);
  for (let i = 135; i > 124; i -= 1) {
    header[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}
