// The swarm backend: the container column measured as Docker Swarm services on the local engine, so
// the orchestrator's own cost shows beside `--real docker` and the model.

import { EngineError } from '../../errors.js';
import { onRuntime } from '../shared/as-run-model.js';
import type { PlatformResult } from '../../report/types.js';
import type { Scenario } from '../../scenario/types.js';
import type { RealBackend } from '../types.js';
import { cleanSwarm } from './clean.js';
import { SwarmEngine } from './engine.js';
import { NODES_HERE, NODES_USED } from './result.js';
import { runSwarm } from './run.js';

export const swarmBackend: RealBackend = {
  name: 'swarm',
  platform: 'container',
  layersFromPlan: 'images',
  async probe() {
    const engine = await SwarmEngine.connect();
    return { ...(await engine.info()) };
  },
  async run(scenario, options) {
    return runSwarm(await SwarmEngine.connect(), scenario, options, process.env);
  },
  // The model has no orchestrator: it is the container model with Docker's runc and every instance
  // started at once (as Swarm starts every replica), on as many hosts as the swarm ran tasks on
  // (spread, Swarm's placement); what the measurement adds over it is Swarm's cost.
  modelAsRun(scenario, measured) {
    const runtime = 'docker-runc';
    const modeled = onRuntime(scenario, runtime, 'as Swarm runs its tasks', { oneHost: false });
    const notes = [
      ...modeled.notes,
      "the model has no orchestrator: the measured figures' excess over this model (and over --real docker) is Swarm's own cost (scheduling, task allocation, the overlay network)",
    ];
    const clustered = onNodesUsed(modeled.scenario, measured);
    notes.push(...clustered.notes);
    if (scenario.concurrency >= scenario.totalInstances) return { scenario: clustered.scenario, notes };
    return {
      scenario: { ...clustered.scenario, concurrency: scenario.totalInstances },
      notes: [...notes, `modeled with concurrency ${scenario.totalInstances}: Swarm starts every replica at once (the scenario says ${scenario.concurrency})`],
    };
  },
  async clean(options) {
    try {
      return await cleanSwarm(await SwarmEngine.connect(options.env ?? process.env), options);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      return { removed: {}, notes: [`swarm skipped: ${error.message}`] };
    }
  },
};

/**
 * The scenario on as many hosts as the swarm ran tasks on (the measured result's NODES_USED item;
 * one when it is missing), spread as Swarm places them, with a note when that differs from the
 * scenario's cluster. Pure.
 */
export function onNodesUsed(scenario: Scenario, measured: PlatformResult | undefined): { scenario: Scenario; notes: string[] } {
  const capacity = measured?.breakdown?.capacity ?? [];
  const used = capacity.find((item) => item.label === NODES_USED)?.value ?? 1;
  const here = capacity.find((item) => item.label === NODES_HERE)?.value ?? 0;
  const asked = scenario.cluster?.hosts ?? 1;
  const notes: string[] = [];
  const { cluster: _cluster, ...single } = scenario;
  if (used <= 1) {
    if (asked > 1) notes.push(`modeled on one host, as measured: every task ran on one swarm node (the scenario asks for ${asked} hosts)`);
    return { scenario: single, notes };
  }
  if (used !== asked) notes.push(`modeled on ${used} hosts, as measured: Swarm ran the tasks on ${used} nodes (the scenario asks for ${asked})`);
  if (scenario.cluster?.placement === 'binpack') notes.push('modeled with placement spread, as Swarm places tasks (the scenario says binpack)');
  if (here > 1)
    notes.push(
      `each of the ${used} modeled hosts has this machine's CPUs and memory, but ${here} of the measured nodes are daemons sharing this one machine: the model's hosts start their instances in parallel, the measured nodes compete for the same CPUs`,
    );
  return { scenario: { ...scenario, cluster: { hosts: used, placement: 'spread' } }, notes };
}
