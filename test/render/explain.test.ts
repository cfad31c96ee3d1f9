// Exact breakdown trees (--explain): sections in order startup, memory, disk, capacity, children
// indented, notes in parentheses; measured results list their samples and spread.

import { describe, expect, it } from 'vitest';
import { renderExplainText } from '../../src/render/explain.js';
import { fixtureReport } from './fixture.js';

describe('renderExplainText', () => {
  it('renders every result of a scenario, empty breakdowns said so', () => {
    const [web, ci] = fixtureReport().scenarios;
    expect(`${renderExplainText(web!)}\n---\n${renderExplainText(ci!)}`).toBe(`web-app: process (model, process), breakdown
  (no breakdown)
web-app: container (model, docker-runc), breakdown
  startup
    create: 120 ms (daemon create)
      layer setup: 20.0 ms
  memory
    shim: 8.00 MiB (per container)
  capacity
    limited by memory: 280
web-app: vm (model, qemu-kvm), breakdown
  (no breakdown)
---
ci-jobs: container (model, docker-runc), breakdown
  (no breakdown)
ci-jobs: vm (model, qemu-tcg), breakdown
  (no breakdown)
ci-jobs: container (model as run, docker-runc), breakdown
  (no breakdown)
ci-jobs: docker (measured), breakdown
  samples
    startup: all ready: n=3, mean 1.00 s, p50 1.00 s, p99 1.10 s, ±2.5%`);
  });
});
