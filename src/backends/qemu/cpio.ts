// A cpio "newc" archive writer: the format the Linux kernel unpacks as an initramfs. Pure and
// deterministic (fixed inode numbers, uid 0, mtime 0), so the same entries give the same bytes.

/** One archive member. Directories and devices carry no data. */
export type CpioEntry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Uint8Array; mode?: number }
  | { kind: 'char'; path: string; major: number; minor: number; mode?: number };

const TYPE_BITS = { dir: 0o040000, file: 0o100000, char: 0o020000 } as const;
const DEFAULT_MODE = { dir: 0o755, file: 0o644, char: 0o600 } as const;

/** The archive bytes, members in the order given, ending with the TRAILER!!! member. */
export function cpioNewc(entries: readonly CpioEntry[]): Buffer {
  const chunks: Buffer[] = [];
  let offset = 0;
  const push = (chunk: Buffer): void => {
    chunks.push(chunk);
    offset += chunk.length;
  };
  const pad = (): void => {
    const rest = (4 - (offset % 4)) % 4;
    if (rest > 0) push(Buffer.alloc(rest));
  };
  const member = (name: string, fields: Omit<Header, 'namesize'>, data: Uint8Array): void => {
    const nameBytes = Buffer.from(`${name}\0`, 'utf8');
    push(header({ ...fields, namesize: nameBytes.length }));
    push(nameBytes);
    pad();
    if (data.length > 0) {
      push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      pad();
    }
  };
  entries.forEach((entry, index) => {
    const name = entry.path.replace(/^\/+/, '');
    const mode = TYPE_BITS[entry.kind] | (entry.mode ?? DEFAULT_MODE[entry.kind]);
    const data = entry.kind === 'file' ? entry.data : new Uint8Array(0);
    const rdev = entry.kind === 'char' ? { rdevmajor: entry.major, rdevminor: entry.minor } : { rdevmajor: 0, rdevminor: 0 };
    member(name, { ino: index + 1, mode, nlink: entry.kind === 'dir' ? 2 : 1, filesize: data.length, ...rdev }, data);
  });
  member('TRAILER!!!', { ino: 0, mode: 0, nlink: 1, filesize: 0, rdevmajor: 0, rdevminor: 0 }, new Uint8Array(0));
  return Buffer.concat(chunks, offset);
}

interface Header {
  ino: number;
  mode: number;
  nlink: number;
  filesize: number;
  rdevmajor: number;
  rdevminor: number;
  namesize: number;
}

/** The 110-byte ASCII header: magic 070701 and 13 eight-digit hex fields. */
function header(h: Header): Buffer {
  const hex = (n: number): string => n.toString(16).toUpperCase().padStart(8, '0');
  // ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check
  const fields = [h.ino, h.mode, 0, 0, h.nlink, 0, h.filesize, 0, 0, h.rdevmajor, h.rdevminor, h.namesize, 0];
  return Buffer.from(`070701${fields.map(hex).join('')}`, 'ascii');
}
