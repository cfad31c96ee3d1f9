// Reads the guest's serial console as it arrives: marker lines ("@R 230000 160000") with the time
// their first byte arrived, and a tail of everything else for error messages.

/** A marker line seen on the console. */
export interface MarkerEvent {
  code: string;
  args: string[];
  /** Arrival time of the chunk holding the marker's "@", on the caller's clock. */
  atMs: number;
}

const TAIL_CHARS = 2000;

/** Incremental parser: feed chunks in order with their arrival time. */
export class SerialParser {
  readonly events: MarkerEvent[] = [];
  #line = '';
  #lineStartMs = 0;
  #tail = '';
  /** Arrival time of the first byte, if any. */
  firstByteMs: number | null = null;

  /** Parses a chunk; returns the markers it completed. */
  push(chunk: string, atMs: number): MarkerEvent[] {
    if (this.firstByteMs === null && chunk.length > 0) this.firstByteMs = atMs;
    const done: MarkerEvent[] = [];
    for (const char of chunk) {
      if (this.#line === '') this.#lineStartMs = atMs;
      if (char === '\n') {
        const event = parseLine(this.#line, this.#lineStartMs);
        if (event) done.push(event);
        else this.#keep(`${this.#line}\n`);
        this.#line = '';
      } else if (char !== '\r') {
        this.#line += char;
      }
    }
    this.events.push(...done);
    return done;
  }

  /** The last non-marker output (kernel panics, shell errors), for a failure message. */
  get tail(): string {
    return (this.#tail + this.#line).trim();
  }

  #keep(text: string): void {
    this.#tail = (this.#tail + text).slice(-TAIL_CHARS);
  }
}

/** "@R 1 2" -> { code: 'R', args: ['1', '2'] }; a marker may follow other text on its line. */
export function parseLine(line: string, atMs: number): MarkerEvent | null {
  const match = /@([A-Z])(?: (.*))?$/.exec(line);
  if (!match?.[1]) return null;
  const args = (match[2] ?? '').trim();
  return { code: match[1], args: args === '' ? [] : args.split(/\s+/), atMs };
}
