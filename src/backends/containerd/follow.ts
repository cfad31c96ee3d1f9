// Follows a container's log file as containerd's shim writes it (`--log-uri file://`): each new byte
// arrives on a stream as soon as inotify reports the write, so the ready marker is timed when printed.

import { watch, type FSWatcher } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { PassThrough } from 'node:stream';

/** Safety net beside inotify: how often the file is read anyway. */
const POLL_MS = 100;

/** The file's bytes as a stream; `end()` reads what is left and ends it. */
export class FileFollower {
  readonly output = new PassThrough();
  readonly #path: string;
  #handle: FileHandle | undefined;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #offset = 0;
  #reading: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(path: string) {
    this.#path = path;
  }

  /** Opens the file (it must exist) and starts following it. */
  async start(): Promise<void> {
    this.#handle = await open(this.#path, 'r');
    this.#watcher = watch(this.#path, () => this.#schedule());
    this.#watcher.on('error', () => {});
    this.#timer = setInterval(() => this.#schedule(), POLL_MS);
    this.#timer.unref();
  }

  /** Reads the rest and ends the stream (the writer is gone). Safe to call twice. */
  async end(): Promise<void> {
    if (this.#closed) return;
    this.#schedule();
    await this.#reading;
    this.close();
    this.output.end();
  }

  /** Stops following without ending the stream's readers' wait for more (used at removal). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watcher?.close();
    clearInterval(this.#timer);
    void this.#reading.then(() => this.#handle?.close()).catch(() => {});
  }

  #schedule(): void {
    this.#reading = this.#reading.then(() => this.#readNew()).catch(() => {});
  }

  async #readNew(): Promise<void> {
    if (this.#handle === undefined || this.#closed) return;
    const buffer = Buffer.alloc(64 * 1024);
    for (;;) {
      const { bytesRead } = await this.#handle.read(buffer, 0, buffer.length, this.#offset);
      if (bytesRead === 0) return;
      this.#offset += bytesRead;
      this.output.write(Buffer.from(buffer.subarray(0, bytesRead)));
    }
  }
}
