#!/usr/bin/env bash
# What CI runs (.github/workflows/bench.yml stays thin): the benchmark, its Markdown in the job
# summary, and the comparison with the committed baseline, failing the job on a regression.
#
#   scripts/ci-bench.sh run        bench (model + real Docker at --real-scale 0.1), then `compare`
#   scripts/ci-bench.sh compare    only publish and compare an existing <results>/report.json
#   scripts/ci-bench.sh baseline   refresh the baseline: a model-only run copied to results/baseline.json
#   scripts/ci-bench.sh ab BASE    measured A/B: `isobench ab BASE HEAD` on this runner, interleaved,
#                                  comparison in the job summary, exit 1 on a significant regression
#
# A model-only baseline compares cleanly from any machine (a modeled figure does not depend on the
# machine); measured figures of the CI run show up as "added" until a baseline measured on the same
# kind of runner is committed (ISOBENCH_BASELINE_ARGS="--real docker --real-scale 0.1").
#
# Environment (all optional):
#   ISOBENCH_CLI            how to run isobench           (default: node bin/isobench.js)
#   ISOBENCH_RESULTS        results folder                (default: results)
#   ISOBENCH_BASELINE       baseline report               (default: results/baseline.json)
#   ISOBENCH_BENCH_ARGS     extra `bench` flags for `run` (default: --real docker --real-scale 0.1 --report md,html,csv,gab)
#   ISOBENCH_BASELINE_ARGS  extra `bench` flags for `baseline` (default: none, model only)
#   ISOBENCH_COMPARE_ARGS   extra `compare` flags, e.g. --allow-env-change (default: none)
#   ISOBENCH_AB_ARGS        `ab` flags (default: --real docker --scenario scenarios/ab/startup-and-copy-up.yaml)
#   GITHUB_STEP_SUMMARY     file the Markdown is appended to (set by GitHub Actions)
#
# Exit: 0 no regression; 1 a regression; 2 bad input or environments differ; 3 engine unavailable.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
read -r -a cli <<<"${ISOBENCH_CLI:-node bin/isobench.js}"
results="${ISOBENCH_RESULTS:-results}"
baseline="${ISOBENCH_BASELINE:-results/baseline.json}"
read -r -a bench_args <<<"${ISOBENCH_BENCH_ARGS---real docker --real-scale 0.1 --report md,html,csv,gab}"
read -r -a baseline_args <<<"${ISOBENCH_BASELINE_ARGS:-}"
read -r -a compare_args <<<"${ISOBENCH_COMPARE_ARGS:-}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"

log() { printf 'ci-bench: %s\n' "$*" >&2; }

# Temp files and folders, removed on exit whatever happens.
temps=()
cleanup() { if [ ${#temps[@]} -gt 0 ]; then rm -rf "${temps[@]}"; fi; }
trap cleanup EXIT

run_bench() {
  log "${cli[*]} bench --results $results ${bench_args[*]}"
  local code=0
  "${cli[@]}" bench --results "$results" "${bench_args[@]}" || code=$?
  if [ "$code" != 0 ]; then
    printf '\n**isobench bench failed (exit %s)**: see the job log.\n' "$code" >>"$summary"
    exit "$code"
  fi
}

publish_and_compare() {
  local report="$results/report.json"
  [ -f "$report" ] || { log "no $report: run the benchmark first"; exit 2; }
  if [ -f "$results/report.md" ]; then cat "$results/report.md" >>"$summary"; fi
  if [ ! -f "$baseline" ]; then
    log "no baseline at $baseline: nothing to compare (create one with npm run bench:baseline)"
    printf '\nNo baseline at `%s`: nothing compared. Create one with `npm run bench:baseline` and commit it.\n' "$baseline" >>"$summary"
    exit 0
  fi
  local out="$results/comparison.md" err
  err="$(mktemp "${TMPDIR:-/tmp}/isobench-compare.XXXXXX")"
  temps+=("$err")
  local code=0
  "${cli[@]}" compare "$baseline" "$report" "${compare_args[@]}" >"$out" 2>"$err" || code=$?
  cat "$err" >&2
  { printf '\n'; cat "$out"; } >>"$summary"
  case "$code" in
    0) log "no regression against $baseline" ;;
    1) log "regression against $baseline (see $out)" ;;
    *) printf '\n**Comparison with `%s` refused or failed (exit %s):**\n\n```\n%s\n```\n' "$baseline" "$code" "$(cat "$err")" >>"$summary" ;;
  esac
  exit "$code"
}

refresh_baseline() {
  local tmp
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/isobench-baseline.XXXXXX")"
  temps+=("$tmp")
  log "${cli[*]} bench --results $tmp ${baseline_args[*]}"
  "${cli[@]}" bench --results "$tmp" "${baseline_args[@]}" >/dev/null
  mkdir -p "$(dirname "$baseline")"
  # Per-instance timelines are for charts, not comparisons: the committed baseline keeps the figures.
  node -e '
    const fs = require("fs"); const [from, to] = process.argv.slice(1);
    const report = JSON.parse(fs.readFileSync(from, "utf8"));
    for (const scenario of report.scenarios) for (const result of scenario.results) delete result.timeline;
    fs.writeFileSync(to, JSON.stringify(report, null, 2) + "\n");
  ' "$tmp/report.json" "$baseline.tmp"
  mv "$baseline.tmp" "$baseline"
  log "wrote $baseline: commit it"
}

# Measured figures: both revisions measured here, now, interleaved; the environment is the same by
# construction, so no committed measured baseline is needed.
run_ab() {
  local base="${1:?ab needs the base revision, e.g. origin/main}"
  local ab_args
  read -r -a ab_args <<<"${ISOBENCH_AB_ARGS:---real docker --scenario scenarios/ab/startup-and-copy-up.yaml}"
  local out_dir="$results/ab" code=0
  log "${cli[*]} ab $base HEAD --results $out_dir ${ab_args[*]}"
  "${cli[@]}" ab "$base" HEAD --results "$out_dir" "${ab_args[@]}" >/dev/null || code=$?
  if [ -f "$out_dir/comparison.md" ]; then { printf '\n### Measured A/B: %s vs HEAD\n\n' "$base"; cat "$out_dir/comparison.md"; } >>"$summary"; fi
  case "$code" in
    0) log "A/B: no significant regression of a measured figure" ;;
    1) log "A/B: significant regression of a measured figure (see $out_dir/comparison.md)" ;;
    *) printf '\n**Measured A/B failed (exit %s)**: see the job log.\n' "$code" >>"$summary" ;;
  esac
  exit "$code"
}

case "${1:-run}" in
  run) run_bench; publish_and_compare ;;
  compare) publish_and_compare ;;
  baseline) refresh_baseline ;;
  ab) run_ab "${2:-}" ;;
  *) log "unknown step '$1' (run, compare, baseline, ab)"; exit 2 ;;
esac
