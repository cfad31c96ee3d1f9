// Examples and explanations shown by --help.

import { BENCH_DEFAULTS, HARD_MAX_INSTANCES } from './bench-options.js';

export const PROGRAM_DESCRIPTION = 'Processes, containers and virtual machines side by side: startup, memory and disk, modeled and measured.';

/** Shown after `isobench --help`. */
export const PROGRAM_EXAMPLES = `
Examples:
  isobench                                  model every scenarios/*.yaml (same as "isobench bench")
  isobench bench --help                     every bench option
  isobench init my-app --from small-web-app write scenarios/my-app.yaml to edit
  isobench validate scenarios/small-web-app.yaml   check scenario files only
  isobench compare results/baseline.json results/report.json
  isobench calibrate                        measure this host, write results/host-profile.json
  isobench clean                            remove every container, image and temp file isobench made

Exit codes: 0 success, 1 a comparison found a regression, 2 bad input or usage,
3 a requested engine is unavailable or failed, 130/143 interrupted (SIGINT/SIGTERM).
`;

/** Shown after `isobench bench --help`. */
export const BENCH_EXAMPLES = `
Examples:
  npm run bench                                    model every scenarios/*.yaml, print tables
  npm run bench -- --scenario scenarios/small-web-app.yaml --explain   one file, with the breakdown
  npm run bench -- --scenario scenarios/microservices.yaml --explain vm  the VMs' breakdown only
  npm run bench -- --scenario scenarios/small-web-app.yaml --sweep instances=1,10,100,1000
                                                   how each figure grows: one table per metric
  npm run bench -- --json > report.json            the whole report as JSON (stdout holds only JSON)
  npm run bench -- --real docker --real-scale 0.1  also measure containers on Docker, sizes x0.1
  npm run bench -- --real docker,host,qemu --real-max-instances 5 --repetitions 3
  npm run bench -- --compare results/baseline.json --report csv,gab

Output: a table per scenario on stdout, fitted to the terminal's width (metrics as rows;
process | container | vm modeled, plus measured columns and the model's error with --real).
Every run also writes DIR/report.json, DIR/report.md and DIR/report.html atomically; --report
adds report.csv and report.gab.json. DIR is --results, else "${BENCH_DEFAULTS.results}" beside the scenarios'
project (the parent of their scenarios/ folder; the current folder for files elsewhere).
A run stopped by Ctrl-C, SIGTERM or an engine fault writes DIR/report.partial.{json,md}
instead and never touches the last complete report. Progress and messages go to stderr.

Real runs measure the scenario as run: sizes times --real-scale, at most --real-max-instances
instances (hard limit ${HARD_MAX_INSTANCES}), on this machine. The model is evaluated on that same
scenario and shown beside the measurement ("model as run"), so the error compares like with like.
`;

/** Shown after `isobench compare --help`. */
export const COMPARE_EXAMPLES = `
Examples:
  isobench compare results/baseline.json results/report.json
  isobench calibrate                        measure this host, write results/host-profile.json
  isobench clean                            remove every container, image and temp file isobench made
  isobench compare base.json new.json --fail-on none --report md,html --results out

Modeled figures are deterministic: any change beyond the minimum effect (default 10%) counts.
Measured figures count only when a Mann-Whitney U test on the raw samples says so (p < 0.01 by
default) AND the change exceeds the minimum effect. Reports from different environments are
refused (exit 2) unless --allow-env-change. Exit 1 when a regression was found (unless --fail-on none).
`;

/** Shown after `isobench calibrate --help`. */
export const CALIBRATE_EXAMPLES = `
Examples:
  isobench calibrate                                   Docker and process costs, 10 starts each
  isobench calibrate --qemu --out my-host.json         also QEMU guests
  isobench calibrate --podman                          also Podman (starts its API service, stops it after)
  npm run bench -- --profile results/host-profile.json --real docker

The profile overrides single model parameters (create, start, shim memory, copy-up rate ...),
each with its source ("measured on HOST, DATE"); every modeled result names the profile it used.
Needs a Docker Engine unless --no-docker (exit 3 without one).
`;
