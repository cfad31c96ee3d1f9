// `isobench calibrate`: measures this host (src/calibrate/) and writes a host profile that
// `bench --profile FILE` applies over the built-in model parameters.

import { dirname } from 'node:path';
import { UsageError } from '../errors.js';
import { ensureWritableDir, writeFilesAtomic } from '../report/write.js';
import type { CliIo } from './io.js';
import { exitIfStuck, watchInterrupts } from './signals.js';
import { EXIT } from './exit-codes.js';

export const CALIBRATE_DEFAULTS = { out: 'results/host-profile.json', samples: '10' } as const;

/** What commander hands over for `calibrate`. */
export interface RawCalibrateOptions {
  out: string;
  samples: string;
  docker: boolean;
  process: boolean;
  podman?: boolean;
  qemu?: boolean;
}

/** Validates the flags, measures, writes the profile atomically; 0, or a known error. */
export async function runCalibrate(raw: RawCalibrateOptions, io: CliIo): Promise<number> {
  const samples = Number(raw.samples);
  if (!/^\d+$/.test(raw.samples) || samples < 1 || samples > 100) throw new UsageError(`--samples must be a whole number from 1 to 100, got "${raw.samples}"`);
  if (raw.out.trim() === '') throw new UsageError('--out needs a file name');
  await ensureWritableDir(dirname(raw.out));
  // Loaded here so that no other command loads the Docker client.
  const { calibrate } = await import('../calibrate/index.js');
  const say = (line: string): void => io.err(`${line}\n`);
  const watch = watchInterrupts(say, 'leftovers are reaped by the next run, or run `isobench clean`');
  try {
    const { profile, notMeasured } = await calibrate({ samples, docker: raw.docker, process: raw.process, podman: raw.podman ?? false, qemu: raw.qemu ?? false, signal: watch.signal, progress: say });
    await writeFilesAtomic([{ path: raw.out, content: `${JSON.stringify(profile, null, 2)}\n` }]);
    const count = Object.keys(profile.overrides).length;
    // A parameter that was not measured keeps its built-in value: say which, and why.
    for (const line of notMeasured) say(`calibrate: ${line}`);
    io.out(
      `wrote ${raw.out}: ${count} model parameter(s) measured on this host${notMeasured.length > 0 ? `; ${notMeasured.length} not measured, left at their built-in values (listed above)` : ''}; use it with --profile ${raw.out}\n`,
    );
    return EXIT.ok;
  } catch (error) {
    const signal = watch.received();
    if (signal !== undefined) {
      exitIfStuck(signal === 'SIGINT' ? EXIT.interruptedInt : EXIT.interruptedTerm);
      throw watch.signal.reason;
    }
    throw error;
  } finally {
    watch.dispose();
  }
}
