import { describe, expect, it } from 'vitest';
import { abortable, runController } from '../../../src/backends/shared/abort.js';
import { InterruptedError } from '../../../src/errors.js';

describe("a run's abort signal", () => {
  it('takes any number of waiting instances without a leak warning, and interrupts them all', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    const controller = runController();
    // Node warns past 10 listeners by default, as a burst of 16 containers did.
    const waits = Array.from({ length: 16 }, () => abortable(new Promise(() => {}), controller.signal));
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(warnings).toEqual([]);
    controller.abort('SIGTERM');
    const settled = await Promise.allSettled(waits);
    expect(settled.every((s) => s.status === 'rejected' && s.reason instanceof InterruptedError && s.reason.signal === 'SIGTERM')).toBe(true);
  });
});
