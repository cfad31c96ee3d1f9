// The swarm backend: the container column measured as Docker Swarm services on the local engine, so
// the orchestrator's own cost shows beside `--real docker` and the model.

import { EngineError } from '../../errors.js';
import { everyService, asMeasured } from '../shared/as-run-model.js';
import type { RealBackend } from '../types.js';
import { cleanSwarm } from './clean.js';
import { SwarmEngine } from './engine.js';
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
    return runSwarm(await SwarmEngine.connect(), scenario, options);
  },
  // The model has no orchestrator: it is the container model with Docker's runc and every instance
  // started at once (as Swarm starts every replica); what the measurement adds over it is Swarm's cost.
  modelAsRun(scenario) {
    const runtime = 'docker-runc';
    const modeled = everyService(
      asMeasured(scenario),
      (s) => s.container.runtime,
      runtime,
      (s) => ({ ...s, container: { ...s.container, runtime } }),
      (changed) => `modeled with the ${runtime} profile, as Swarm runs its tasks (the scenario names ${changed})`,
    );
    const notes = [
      ...modeled.notes,
      "the model has no orchestrator: the measured figures' excess over this model (and over --real docker) is Swarm's own cost (scheduling, task allocation, the overlay network)",
    ];
    if (scenario.concurrency >= scenario.totalInstances) return { scenario: modeled.scenario, notes };
    return {
      scenario: { ...modeled.scenario, concurrency: scenario.totalInstances },
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
