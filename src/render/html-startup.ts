// Startup in pictures for the HTML report: a stacked bar of one instance's startup phases per
// platform (VMM, firmware, kernel, init, app; daemon, runtime, app), from each result's startup
// breakdown, and the per-instance timeline (a Gantt chart) from a result's optional `timeline`.

import type { BreakdownItem, InstanceTimeline, PlatformResult } from '../report/types.js';
import { PLATFORMS } from '../report/types.js';
import { formatMs } from '../units/format.js';
import { resultLabel } from '../report/view.js';
import { resultName } from '../compare/result-key.js';
import { esc } from './html-chart.js';

/** What a phase is, by its label: the kinds a reader compares across platforms, each with a colour (Tableau 10). */
const PHASE_KINDS: readonly { kind: string; test: RegExp; colour: string }[] = [
  { kind: 'fetch, unpack (cold cache)', test: /fetch|unpack|pull|cold/i, colour: '#bab0ac' },
  { kind: 'clone, VMM', test: /clone|vmm|qemu start|qcow/i, colour: '#4e79a7' },
  { kind: 'firmware', test: /firmware|bios/i, colour: '#b07aa1' },
  { kind: 'kernel', test: /kernel/i, colour: '#e15759' },
  { kind: 'init', test: /init|systemd/i, colour: '#9c755f' },
  { kind: 'daemon (create, start)', test: /daemon|create|start|rootfs|shim|overlay/i, colour: '#f28e2b' },
  { kind: 'runtime (OCI, fork/exec)', test: /runtime|oci|runc|crun|fork|exec/i, colour: '#edc948' },
  { kind: 'app', test: /app/i, colour: '#59a14f' },
];
const OTHER = { kind: 'other', colour: '#76b7b2' };

/** The kind and colour of a phase label ("kernel (systemd)" -> kernel). App first: "app: fill its memory" is the app. */
export function phaseKind(label: string): { kind: string; colour: string } {
  if (/^app\b/i.test(label)) return PHASE_KINDS.find((k) => k.kind === 'app')!;
  return PHASE_KINDS.find((k) => k.test.test(label)) ?? OTHER;
}

/** A legend of the kinds used, wrapped to the chart's width; returns the new y. */
function legend(kinds: ReadonlyMap<string, string>, parts: string[], y: number): number {
  let x = LABEL_W;
  for (const [kind, colour] of kinds) {
    const w = 24 + kind.length * 6.4;
    if (x + w > WIDTH) {
      x = LABEL_W;
      y += 18;
    }
    parts.push(`<rect x="${r(x)}" y="${y}" width="11" height="11" fill="${colour}"/><text class="key" x="${r(x + 15)}" y="${y + 10}">${esc(kind)}</text>`);
    x += w;
  }
  return y + 20;
}

const WIDTH = 820;
const LABEL_W = 150;
const PLOT_W = WIDTH - LABEL_W - 70;

/** One instance's phases of a result: the children of its first "per instance" startup item. */
export function startupPhases(result: PlatformResult): BreakdownItem[] {
  const first = result.breakdown.startup.find((item) => /^per instance/.test(item.label) && (item.children?.length ?? 0) > 0);
  return first?.children ?? [];
}

/** The stacked bars, one per result with phases; undefined when none has them. */
export function phaseBarsSvg(results: readonly PlatformResult[], titleId: string, title: string): string | undefined {
  const rows = [...results]
    .sort((a, b) => PLATFORMS.indexOf(a.platform) - PLATFORMS.indexOf(b.platform))
    .map((result) => ({ result, phases: startupPhases(result) }))
    .filter((row) => row.phases.length > 0);
  if (rows.length === 0) return undefined;
  const kinds = new Map<string, string>();
  const longest = Math.max(...rows.map(({ phases }) => phases.reduce((sum, p) => sum + p.value, 0)));
  const parts: string[] = [];
  let y = 6;
  for (const { result, phases } of rows) {
    parts.push(`<text class="label" x="${LABEL_W - 8}" y="${y + 12}" text-anchor="end">${esc(resultName(result))}</text>`);
    let x = 0;
    for (const phase of phases) {
      const { kind, colour } = phaseKind(phase.label);
      kinds.set(kind, colour);
      const w = longest > 0 ? (phase.value / longest) * PLOT_W : 0;
      parts.push(
        `<rect class="phase" data-phase="${esc(phase.label)}" data-kind="${esc(kind)}" x="${r(LABEL_W + x)}" y="${y}" width="${r(w)}" height="16" fill="${colour}" stroke="#fff" stroke-width="0.6"><title>${esc(`${resultLabel(result)}: ${phase.label} ${formatMs(phase.value)}`)}</title></rect>`,
      );
      x += w;
    }
    const total = phases.reduce((sum, p) => sum + p.value, 0);
    parts.push(`<text class="value" x="${r(LABEL_W + x + 6)}" y="${y + 12}">${esc(formatMs(total))}</text>`);
    y += 24;
  }
  y = legend(kinds, parts, y + 4);
  return `<svg class="chart phases" data-chart="phases" role="img" aria-labelledby="${titleId}" viewBox="0 0 ${WIDTH} ${y}" width="${WIDTH}" height="${y}"><title id="${titleId}">${esc(title)}</title>${parts.join('')}</svg>`;
}

/** Most instances drawn in one timeline; beyond it, an even sample (the chart says so). */
export const TIMELINE_MAX_ROWS = 40;

/** The Gantt chart of one result's instances, or undefined without a timeline. */
export function timelineSvg(result: PlatformResult, titleId: string, title: string): string | undefined {
  const timeline = result.timeline;
  if (timeline === undefined || timeline.length === 0) return undefined;
  const shown = sample(timeline, TIMELINE_MAX_ROWS);
  const end = Math.max(...timeline.map((t) => Math.max(t.readyMs ?? 0, ...t.phases.map((p) => p.endMs), t.requestedMs)));
  const scale = (ms: number) => LABEL_W + (end > 0 ? (ms / end) * PLOT_W : 0);
  const kinds = new Map<string, string>();
  const colour = (label: string) => {
    const { kind, colour: fill } = phaseKind(label);
    kinds.set(kind, fill);
    return fill;
  };
  const parts: string[] = [];
  const rowH = 12;
  let y = 4;
  for (const instance of shown) {
    const name = `${instance.service} #${instance.index + 1}`;
    parts.push(`<text class="key" x="${LABEL_W - 8}" y="${y + 10}" text-anchor="end">${esc(name)}</text>`);
    parts.push(`<line class="wait" x1="${r(scale(instance.requestedMs))}" x2="${r(scale(instance.phases[0]?.startMs ?? instance.requestedMs))}" y1="${y + 6}" y2="${y + 6}" stroke="#bbb"/>`);
    for (const phase of instance.phases) {
      parts.push(
        `<rect class="span" data-phase="${esc(phase.label)}" x="${r(scale(phase.startMs))}" y="${y + 1}" width="${r(Math.max(0.5, scale(phase.endMs) - scale(phase.startMs)))}" height="${rowH - 2}" fill="${colour(phase.label)}" stroke="#fff" stroke-width="0.6">` +
          `<title>${esc(`${name}: ${phase.label} ${formatMs(phase.startMs)} to ${formatMs(phase.endMs)}${phase.resource ? ` (${phase.resource})` : ''}`)}</title></rect>`,
      );
    }
    if (instance.readyMs === null) parts.push(`<text class="key never" x="${r(scale(end) + 4)}" y="${y + 10}">never ready</text>`);
    y += rowH + 2;
  }
  // The time axis: 0, half, end.
  y += 4;
  for (const at of [0, end / 2, end]) parts.push(`<text class="key" x="${r(scale(at))}" y="${y + 10}" text-anchor="middle">${esc(formatMs(at))}</text>`);
  y = legend(kinds, parts, y + 16);
  const note = shown.length < timeline.length ? ` (${shown.length} of ${timeline.length} instances shown, evenly sampled)` : '';
  return (
    `<svg class="chart timeline" data-chart="timeline" data-result="${esc(result.platform)}" role="img" aria-labelledby="${titleId}" viewBox="0 0 ${WIDTH} ${y}" width="${WIDTH}" height="${y}"><title id="${titleId}">${esc(title + note)}</title>${parts.join('')}</svg>` +
    (note === '' ? '' : `<p class="meta">${esc(note.trim())}</p>`)
  );
}

/** At most `max` entries, evenly spread, first and last kept. */
function sample(timeline: readonly InstanceTimeline[], max: number): InstanceTimeline[] {
  if (timeline.length <= max) return [...timeline];
  return Array.from({ length: max }, (_, i) => timeline[Math.round((i * (timeline.length - 1)) / (max - 1))]!);
}

function r(value: number): string {
  return String(Math.round(value * 10) / 10);
}
