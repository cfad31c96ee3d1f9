// Concurrency waves, as the model assumes them: start `concurrency` instances at once, and start the
// next wave when every instance of the previous one is ready (or has failed).

/** Splits instance indexes 0..count-1 into waves of at most `concurrency`. */
export function waves(count: number, concurrency: number): number[][] {
  const size = Math.max(1, Math.floor(concurrency));
  const result: number[][] = [];
  for (let start = 0; start < count; start += size) {
    result.push(Array.from({ length: Math.min(size, count - start) }, (_, i) => start + i));
  }
  return result;
}

/**
 * Runs `startOne` for every instance, wave after wave. Outcomes come back in instance order. Stops
 * before the next wave when `shouldStop` says so (a failure with stop-on-failure, or an abort).
 */
export async function runInWaves<T>(count: number, concurrency: number, startOne: (index: number) => Promise<T>, shouldStop: (outcomes: readonly T[]) => boolean): Promise<T[]> {
  const outcomes: T[] = [];
  for (const wave of waves(count, concurrency)) {
    const settled = await Promise.all(wave.map((index) => startOne(index)));
    outcomes.push(...settled);
    if (shouldStop(outcomes)) break;
  }
  return outcomes;
}
