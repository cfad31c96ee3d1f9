// Exact terminal output for the hand-made fixture report (test/render/fixture.ts).
// Hand-computed figures: ratios are vm / container of the fixture values, e.g. startup first
// 5000 ms / 500 ms = 10.0x, p50 8000 / 550 = 14.545 -> 14.5x, memory total 1536 MiB / 430 MiB = 3.572 -> 3.57x,
// max instances 60 / 280 = 0.214 -> 0.21x. Model errors are (model - measured) / measured:
// startup all (800 - 1000) / 1000 = -20.0%, memory total (500 - 400) / 400 = +25.0%, disk 0.0%.

import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/render/table.js';
import { fixtureReport } from './fixture.js';

describe('renderTable', () => {
  it('renders a model-only scenario: header, one table with the vm / container ratio, summary', () => {
    const report = fixtureReport();
    expect(renderTable({ ...report, scenarios: [report.scenarios[0]!] }, { width: 120 })).toBe(`isobench 0.1.0, run 20261105-120301-abcdef, 2026-11-05T12:03:01.000Z

== web-app (scenarios/web-app.yaml)
   One small web app, three replicas.
   3 instances: api x3; concurrency 3, cache warm
   host server: 8 cpus, 32.0 GiB memory, 512 GiB disk
┌───────────────────────┬────────────────┬────────────────────┬─────────────────┬───────────┐
│ metric                │        process │          container │              vm │      vm / │
│                       │ model: process │ model: docker-runc │ model: qemu-kvm │ container │
├───────────────────────┼────────────────┼────────────────────┼─────────────────┼───────────┤
│ startup: first ready  │         250 ms │             500 ms │          5.00 s │     10.0x │
│ startup: all ready    │         260 ms │             600 ms │          12.0 s │     20.0x │
│ startup: p50 instance │         255 ms │             550 ms │          8.00 s │     14.5x │
│ startup: p99 instance │         260 ms │             600 ms │          12.0 s │     20.0x │
│ memory: shared        │            0 B │            100 MiB │             0 B │       n/a │
│ memory: per instance  │        100 MiB │            110 MiB │         512 MiB │     4.65x │
│ memory: unique        │            n/a │                n/a │             n/a │       n/a │
│ memory: total         │        300 MiB │            430 MiB │        1.50 GiB │     3.57x │
│ disk: shared          │        195 MiB │            195 MiB │        2.00 GiB │     10.5x │
│ disk: per instance    │       2.00 MiB │            102 MiB │         110 MiB │     1.08x │
│ disk: total           │        201 MiB │            501 MiB │        2.32 GiB │     4.75x │
│ max instances on host │            300 │                280 │              60 │     0.21x │
│ hosts needed          │              1 │                  1 │               1 │     1.00x │
└───────────────────────┴────────────────┴────────────────────┴─────────────────┴───────────┘

Summary (model, scenarios as written)
┌──────────┬───────────┬─────────────────────┬────────────────┬──────────────┬──────────────────────┐
│ scenario │ instances │ startup all: vm/ctr │ memory: vm/ctr │ disk: vm/ctr │ max instances p/c/vm │
├──────────┼───────────┼─────────────────────┼────────────────┼──────────────┼──────────────────────┤
│ web-app  │         3 │               20.0x │          3.57x │        4.75x │       300 / 280 / 60 │
└──────────┴───────────┴─────────────────────┴────────────────┴──────────────┴──────────────────────┘
`);
  });

  it('renders measured columns beside the as-run model with the error, TCG labelled, and a partial run', () => {
    const report = fixtureReport();
    const partial = { ...report, scenarios: [report.scenarios[1]!], partial: true, notes: ['stopped during ci-jobs (qemu)'] };
    expect(renderTable(partial, { width: 120 })).toBe(`isobench 0.1.0, run 20261105-120301-abcdef, 2026-11-05T12:03:01.000Z
PARTIAL RUN: stopped early; see the notes at the end for what completed.

== ci-jobs (/tmp/ci-jobs.yaml)
   Ephemeral CI jobs.
   40 instances: build x30, test x10; concurrency 8, cache cold
   host: 8 cpus, 32.0 GiB memory, 512 GiB disk, KSM on
┌───────────────────────┬────────────────────┬─────────────────┬───────────┐
│ metric                │          container │              vm │      vm / │
│                       │ model: docker-runc │ model: qemu-tcg │ container │
├───────────────────────┼────────────────────┼─────────────────┼───────────┤
│ startup: first ready  │                n/a │             n/a │       n/a │
│ startup: all ready    │             2.00 s │          50.0 s │     25.0x │
│ startup: p50 instance │                n/a │             n/a │       n/a │
│ startup: p99 instance │                n/a │             n/a │       n/a │
│ memory: shared        │                n/a │             n/a │       n/a │
│ memory: per instance  │                n/a │             n/a │       n/a │
│ memory: unique        │                n/a │             n/a │       n/a │
│ memory: total         │           1.00 GiB │        20.0 GiB │     20.0x │
│ disk: shared          │                n/a │             n/a │       n/a │
│ disk: per instance    │                n/a │             n/a │       n/a │
│ disk: total           │           4.00 GiB │        10.0 GiB │     2.50x │
│ max instances on host │                200 │              50 │     0.25x │
│ hosts needed          │                n/a │             n/a │       n/a │
└───────────────────────┴────────────────────┴─────────────────┴───────────┘
Measured beside the model of the scenario as run:
┌───────────────────────┬───────────────────────────┬──────────────┬────────┐
│ metric                │                 container │       docker │  model │
│                       │ model as run: docker-runc │     measured │  error │
├───────────────────────┼───────────────────────────┼──────────────┼────────┤
│ startup: first ready  │                       n/a │          n/a │    n/a │
│ startup: all ready    │                    800 ms │ 1.00 s ±2.5% │ -20.0% │
│ startup: p50 instance │                       n/a │          n/a │    n/a │
│ startup: p99 instance │                       n/a │          n/a │    n/a │
│ memory: shared        │                       n/a │          n/a │    n/a │
│ memory: per instance  │                       n/a │          n/a │    n/a │
│ memory: unique        │                       n/a │          n/a │    n/a │
│ memory: total         │                   500 MiB │      400 MiB │ +25.0% │
│ disk: shared          │                       n/a │          n/a │    n/a │
│ disk: per instance    │                       n/a │          n/a │    n/a │
│ disk: total           │                   400 MiB │      400 MiB │   0.0% │
│ max instances on host │                       n/a │          n/a │    n/a │
│ hosts needed          │                       n/a │          n/a │    n/a │
└───────────────────────┴───────────────────────────┴──────────────┴────────┘
- container (model as run, docker-runc): 20 of 40 instances, sizes x0.1, host this machine: 2 cpus, 24 GiB
- docker (measured): instances capped at 20 of 40 (--real-max-instances 20)

Summary (model, scenarios as written)
┌──────────┬───────────┬─────────────────────┬────────────────┬──────────────┬──────────────────────┐
│ scenario │ instances │ startup all: vm/ctr │ memory: vm/ctr │ disk: vm/ctr │ max instances p/c/vm │
├──────────┼───────────┼─────────────────────┼────────────────┼──────────────┼──────────────────────┤
│ ci-jobs  │        40 │               25.0x │          20.0x │        2.50x │       n/a / 200 / 50 │
└──────────┴───────────┴─────────────────────┴────────────────┴──────────────┴──────────────────────┘

Model error against measurements (scenarios as run)
┌──────────┬───────────────────┬────────────────────┬─────────────────────┬───────────────────┐
│ scenario │ measured          │ startup all: error │ memory total: error │ disk total: error │
├──────────┼───────────────────┼────────────────────┼─────────────────────┼───────────────────┤
│ ci-jobs  │ docker (measured) │             -20.0% │              +25.0% │              0.0% │
└──────────┴───────────────────┴────────────────────┴─────────────────────┴───────────────────┘

Notes
- stopped during ci-jobs (qemu)
`);
  });

  it('is deterministic: the same report renders to the same text', () => {
    expect(renderTable(fixtureReport(), { explain: true })).toBe(renderTable(fixtureReport(), { explain: true }));
  });
});
