// The command line: commands and options, and the one place errors become exit codes.

import { Command, CommanderError, Option } from 'commander';
import { closest } from 'fastest-levenshtein';
import { EngineError, formatProblem, InputError, InterruptedError, UsageError } from '../errors.js';
import { toolVersion } from '../report/build.js';
import type { RawAbOptions } from './ab.js';
import { runBench } from './bench.js';
import { BENCH_DEFAULTS, HARD_MAX_INSTANCES, parseBenchOptions, realBackendNames, type RawBenchOptions } from './bench-options.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { CALIBRATE_DEFAULTS, runCalibrate, type RawCalibrateOptions } from './calibrate.js';
import { runCompare, type RawCompareOptions } from './compare.js';
import { BENCH_EXAMPLES, CALIBRATE_EXAMPLES, COMPARE_EXAMPLES, PROGRAM_DESCRIPTION, PROGRAM_EXAMPLES } from './help.js';
import { processIo, type CliIo } from './io.js';
import { runInit, type RawInitOptions } from './init.js';
import { runValidate } from './validate.js';

/** Runs isobench with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (result) => {
    code = result;
  });
  try {
    checkCommandName(argv[0], program);
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    return handleError(error, io);
  }
}

/** `isobench frobnicate`: the default command would take it as an argument; say what it is instead. */
function checkCommandName(first: string | undefined, program: Command): void {
  if (first === undefined || first.startsWith('-')) return;
  const names = [...program.commands.map((command) => command.name()), 'help'];
  if (names.includes(first)) return;
  const hint = closest(first, names);
  throw new UsageError(`unknown command "${first}" (did you mean "${hint}"?); commands: ${names.join(', ')}`);
}

/** Known errors: one clear message on stderr and their exit code. Anything else is a bug: re-thrown. */
function handleError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Help and version are printed by commander; its errors are kept quiet there and said here.
    const shown = ['commander.helpDisplayed', 'commander.help', 'commander.version'];
    if (shown.includes(error.code)) return EXIT.ok;
    io.err(`isobench: error:\n${indent(commanderMessage(error.message))}\n`);
    return EXIT.badInput;
  }
  const code = exitCodeFor(error);
  if (code === undefined) throw error;
  const message = error instanceof InputError ? error.problems.map(formatProblem).join('\n') : (error as Error).message;
  if (error instanceof InterruptedError) {
    io.err(`isobench: ${message}\n`);
    return code;
  }
  const kind = error instanceof InputError ? 'invalid input' : error instanceof EngineError ? 'engine unavailable or failed' : 'error';
  io.err(`isobench: ${kind}:\n${indent(message)}\n`);
  return code;
}

/** "error: unknown option '--frob'\n(Did you mean --from?)" -> "unknown option '--frob' (did you mean --from?); see --help". */
export function commanderMessage(message: string): string {
  const text = message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*\(Did you mean/g, ' (did you mean')
    .trim();
  return `${text}; see "isobench help" or "isobench COMMAND --help"`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function buildProgram(io: CliIo, setCode: (code: number) => void): Command {
  const program = new Command('isobench')
    .description(PROGRAM_DESCRIPTION)
    .version(toolVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => undefined })
    .showSuggestionAfterError(true)
    .addHelpText('after', PROGRAM_EXAMPLES);

  program
    .command('bench', { isDefault: true })
    .description('evaluate scenarios with the model (and, with --real, measure them) and print them side by side')
    .addOption(new Option('--scenario <file>', 'a scenario file, from any path; repeatable (default: every scenarios/*.yaml)').argParser(collect))
    .option('--json', 'print the whole report as JSON on stdout, nothing else there')
    .option(
      '--explain [platform]',
      'add the breakdown of every figure (phases, memory and disk parts, capacity); of one platform (process, container, vm) or backend (docker, swarm, podman, containerd, host, qemu) only when named',
    )
    .addOption(
      new Option(
        '--sweep <field=values>',
        'evaluate each scenario at every value of one field, e.g. instances=1,10,100,1000, vm.memory=512MiB,1GiB, host.cpus=2,4,8 (repeatable: one sweep each)',
      ).argParser(collect),
    )
    .option('--results <dir>', `folder for the reports (default: "${BENCH_DEFAULTS.results}" beside the scenarios' project: the parent of their scenarios/ folder, else the current folder)`)
    .option('--profile <file>', 'a host profile (from calibration) overriding built-in model parameters')
    .addOption(new Option('--real <backends>', `also measure on real engines: ${realBackendNames().join(', ')} (comma list or repeated)`).argParser(collect))
    .option('--real-scale <n>', 'multiply image, layer and file sizes for real runs (0.001..10)', String(BENCH_DEFAULTS.realScale))
    .option('--real-max-instances <n>', `cap on instances per real run (hard limit ${HARD_MAX_INSTANCES})`, String(BENCH_DEFAULTS.realMaxInstances))
    .option('--repetitions <n>', 'measured repetitions of each real run', String(BENCH_DEFAULTS.repetitions))
    .option('--warmup <n>', 'unmeasured warm-up repetitions before them', String(BENCH_DEFAULTS.warmup))
    .option('--instance-timeout <duration>', 'per-instance readiness timeout, e.g. 30s, 2min', BENCH_DEFAULTS.instanceTimeout)
    .option('--on-instance-failure <mode>', 'when an instance times out, is OOM-killed or exits: "continue" (record it, go on) or "stop" (partial report, exit 3)', BENCH_DEFAULTS.onInstanceFailure)
    .option('--real-app-startup <mode>', 'the app\'s declared startup in real runs: "add" it to each measured start (fast) or "sleep" through it', BENCH_DEFAULTS.realAppStartup)
    .addOption(new Option('--report <formats>', 'extra files: csv, gab (comma list or repeated); report.json, report.md and report.html are always written').argParser(collect))
    .option('--compare <base.json>', 'compare this run with a baseline report (exit 1 on a regression)')
    .option('--fail-on <mode>', 'with --compare: "regression" (exit 1 on one) or "none"', BENCH_DEFAULTS.failOn)
    .option('--allow-env-change', 'with --compare: compare measured figures from different environments anyway')
    .option('--config <file>', 'comparison settings (alpha, minimum effect per metric); default ./isobench.config.json')
    .addHelpText('after', BENCH_EXAMPLES)
    .action(async (raw: RawBenchOptions) => {
      setCode(await runBench(parseBenchOptions(raw), io));
    });

  program
    .command('compare')
    .description('compare two reports: per scenario, platform and metric, base, new, change and verdict')
    .argument('<base>', 'the baseline report (e.g. results/baseline.json)')
    .argument('<new>', 'the new report (e.g. results/report.json)')
    .option('--fail-on <mode>', '"regression" (exit 1 on one) or "none"', 'regression')
    .option('--allow-env-change', 'compare measured figures from different environments anyway')
    .option('--config <file>', 'comparison settings (alpha, minimum effect per metric); default ./isobench.config.json')
    .addOption(new Option('--report <formats>', 'also write files: md (comparison.md), html, csv, gab').argParser(collect))
    .option('--results <dir>', 'folder for the files of --report', BENCH_DEFAULTS.results)
    .addHelpText('after', COMPARE_EXAMPLES)
    .action(async (base: string, next: string, raw: RawCompareOptions) => {
      setCode(await runCompare(base, next, raw, io));
    });

  program
    .command('ab')
    .description('measure two revisions of this repository on this machine, interleaved round by round, and compare them (exit 1 on a significant regression)')
    .argument('<base>', 'the base revision: a commit, branch or tag (e.g. main)')
    .argument('<head>', 'the head revision (e.g. HEAD)')
    .addOption(new Option('--scenario <file>', 'a scenario file both revisions run; repeatable').argParser(collect))
    .option('--real <backends>', `real backends to measure on (comma list): ${realBackendNames().join(', ')}`, 'docker')
    .option('--rounds <n>', 'measured rounds per side (2..100); 5 or more can reach p < 0.01', '6')
    .option('--real-scale <n>', 'multiply image, layer and file sizes (0.001..10)', '0.05')
    .option('--real-max-instances <n>', 'cap on instances per run (1..200)', '4')
    .option('--results <dir>', 'folder for ab-base.json, ab-head.json and comparison.md', 'results')
    .option('--fail-on <mode>', '"regression" (exit 1 on one) or "none"', 'regression')
    .option('--config <file>', 'comparison settings (alpha, minimum effect per metric); default ./isobench.config.json')
    .option('--repo <dir>', 'the repository the revisions belong to (default: the working folder)')
    .action(async (base: string, head: string, raw: RawAbOptions) => {
      // Loaded here so that no other command loads git, execa and the comparison for it.
      const { runAbCommand } = await import('./ab.js');
      setCode(await runAbCommand(base, head, raw, io));
    });

  program
    .command('calibrate')
    .description("measure this host's Docker, process (and optionally Podman and QEMU) costs and write a host profile for --profile")
    .option('--out <file>', 'where to write the profile', CALIBRATE_DEFAULTS.out)
    .option('--samples <n>', 'starts per measurement (1..100)', CALIBRATE_DEFAULTS.samples)
    .option('--no-docker', 'skip the Docker measurements')
    .option('--no-process', 'skip the host process measurements')
    .option('--podman', 'also measure Podman through its Docker-compatible API service (the podman-crun profile)')
    .option('--qemu', 'also boot QEMU guests and calibrate the hypervisor profile')
    .addHelpText('after', CALIBRATE_EXAMPLES)
    .action(async (raw: RawCalibrateOptions) => {
      setCode(await runCalibrate(raw, io));
    });

  program
    .command('clean')
    .description('remove every container, image and temp file isobench ever made (images are otherwise kept as a cache)')
    .option('--include-live', 'also remove what a run still in progress on this host is using')
    .action(async (raw: { includeLive?: boolean }) => {
      // Loaded here so that no other command loads the Docker client.
      const { cleanEverything, describeClean } = await import('./clean.js');
      io.out(`${describeClean(await cleanEverything({ includeLive: raw.includeLive ?? false }))}\n`);
      setCode(EXIT.ok);
    });

  program
    .command('init')
    .description('write a commented scenario that validates, to edit: scenarios/NAME.yaml (from a shipped scenario with --from)')
    .argument('[name]', 'the scenario name, kebab-case (default: my-scenario)')
    .option('--from <scenario>', 'start from a shipped scenario, e.g. small-web-app, microservices, ci-jobs')
    .option('--out <file>', 'where to write it (default: scenarios/NAME.yaml)')
    .option('--force', 'replace the file if it exists')
    .action(async (name: string | undefined, raw: RawInitOptions) => {
      setCode(await runInit(name, raw, io));
    });

  program
    .command('validate')
    .description('check scenario files only: exit 0 when all are valid, 2 with one message per problem')
    .argument('<file...>', 'scenario files')
    .option('--profile <file>', 'validate profile names against a host profile too')
    .action(async (files: string[], raw: { profile?: string }) => {
      setCode(await runValidate(files, raw.profile, io));
    });

  return program;
}
