// One batch: every instance of the scenario started in concurrency waves, timed from the batch start.

import { interruption } from '../abort.js';
import type { InstanceOutcome } from '../instances.js';
import { waves } from '../waves.js';
import type { ContainerSpec } from './engine.js';
import { startContainer, type StartContext, type StartedContainer } from './instance.js';

export interface BatchRun {
  started: StartedContainer[];
  outcomes: InstanceOutcome[];
}

export interface BatchPlan {
  /** One entry per instance, in start order. */
  instances: { service: string; spec: ContainerSpec }[];
  concurrency: number;
  /** Stop starting further waves once an instance failed. */
  stopOnFailure: boolean;
}

/**
 * Starts the batch wave by wave (the next wave once the previous one is ready or failed). On abort it
 * waits for in-flight requests to settle, so every container that exists is registered or removed,
 * then throws InterruptedError.
 */
export async function runBatch(context: Omit<StartContext, 'batchStart' | 'wave'>, plan: BatchPlan): Promise<BatchRun> {
  const batchStart = performance.now();
  const started: StartedContainer[] = [];
  for (const [wave, members] of waves(plan.instances.length, plan.concurrency).entries()) {
    const settled = await Promise.allSettled(
      members.map((index) => {
        const instance = plan.instances[index]!;
        return startContainer({ ...context, batchStart, wave }, instance.spec, index, instance.service);
      }),
    );
    for (const result of settled) if (result.status === 'fulfilled') started.push(result.value);
    const rejected = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (rejected !== undefined) {
      if (context.signal.aborted) throw interruption(context.signal);
      throw rejected.reason;
    }
    const failed = started.some((s) => s.outcome.state === 'failed');
    if (failed && (plan.stopOnFailure || started.some((s) => s.outcome.state === 'failed' && s.outcome.reason === 'engine-error'))) break;
  }
  return { started, outcomes: started.map((s) => s.outcome) };
}
