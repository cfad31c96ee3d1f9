// Fitting text to a terminal's width: how wide the terminal is, words wrapped with a hanging
// indent, and tables whose column heads wrap and which split into several tables (the label
// columns repeated) when their columns still do not fit.

import type { TableView } from '../report/view.js';

/** Width when stdout is not a terminal and COLUMNS is unset (a pipe, a CI log). */
export const DEFAULT_WIDTH = 100;
/** Narrower than this, tables cannot be laid out usefully: treated as this. */
export const MIN_WIDTH = 40;

/** The terminal's columns; else COLUMNS (so tests and `COLUMNS=80 isobench` can set it); else 100. */
export function terminalWidth(stdout: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  if (stdout.isTTY && stdout.columns !== undefined && stdout.columns > 0) return Math.max(MIN_WIDTH, stdout.columns);
  const columns = Number(env['COLUMNS']);
  if (Number.isInteger(columns) && columns > 0) return Math.max(MIN_WIDTH, columns);
  return DEFAULT_WIDTH;
}

/**
 * Wraps one line at spaces to `width`: continuation lines get the line's own indentation plus
 * `hang` spaces. A word longer than the room left is cut.
 */
export function wrapLine(line: string, width: number, hang = 2): string[] {
  if (line.length <= width) return [line];
  const indent = /^ */.exec(line)![0];
  const next = `${indent}${' '.repeat(hang)}`;
  const words = line.slice(indent.length).split(' ');
  const out: string[] = [];
  let current = indent;
  let fresh = true;
  for (let word of words) {
    while (true) {
      const joined = fresh ? `${current}${word}` : `${current} ${word}`;
      if (joined.length <= width) {
        current = joined;
        fresh = false;
        break;
      }
      if (!fresh) {
        out.push(current);
        current = next;
        fresh = true;
        continue;
      }
      // A word that does not fit on a line of its own: cut it.
      const room = Math.max(1, width - current.length);
      out.push(`${current}${word.slice(0, room)}`);
      word = word.slice(room);
      current = next;
      if (word === '') break;
    }
  }
  if (current.trim() !== '') out.push(current);
  return out;
}

/** Every line of `text` wrapped (see wrapLine). */
export function wrapText(text: string, width: number, hang = 2): string {
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, width, hang))
    .join('\n');
}

/** Width of a cell: its longest line. */
function cellWidth(text: string): number {
  return Math.max(0, ...text.split('\n').map((line) => line.length));
}

/** A boxed table's width (cli-table3's default chars): "│ a │ b │". */
export function tableWidth(widths: readonly number[]): number {
  return widths.reduce((sum, w) => sum + w + 3, 1);
}

/** Re-wraps a head at spaces so that no line is wider than `width` (words are never cut). */
function wrapHead(head: string, width: number): string {
  return head
    .split('\n')
    .flatMap((line) => wrapLine(line, Math.max(width, ...line.split(' ').map((w) => w.length)), 0).map((l) => l.trim()))
    .join('\n');
}

/**
 * The table as one or more tables that fit `width`: first as it is; then with column heads wrapped
 * to their figures' width; then split into groups of columns, each repeating the first
 * `textColumns` columns. A single column wider than the room is left as it is (it cannot be cut).
 */
export function fitTable(view: TableView, textColumns: number, width: number): TableView[] {
  const columns = view.head.length;
  const bodyWidth = (i: number) => Math.max(0, ...view.rows.map((row) => cellWidth(row[i] ?? '')));
  const natural = view.head.map((head, i) => Math.max(cellWidth(head), bodyWidth(i)));
  if (tableWidth(natural) <= width) return [view];
  // Wrap the heads that stick out furthest beyond their figures first, one at a time, until it fits.
  const head = [...view.head];
  const widths = [...natural];
  while (tableWidth(widths) > width) {
    let best = -1;
    let bestGain = 0;
    for (let i = textColumns; i < columns; i++) {
      const gain = widths[i]! - Math.max(cellWidth(wrapHead(head[i]!, bodyWidth(i))), bodyWidth(i));
      if (gain > bestGain) [best, bestGain] = [i, gain];
    }
    if (best < 0) break;
    // Narrow by the least that helps: the head wrapped to the widest width that still gains.
    const target = Math.max(bodyWidth(best), widths[best]! - (tableWidth(widths) - width));
    const candidate = wrapHead(head[best]!, target);
    head[best] = cellWidth(candidate) < widths[best]! ? candidate : wrapHead(head[best]!, bodyWidth(best));
    widths[best] = Math.max(cellWidth(head[best]!), bodyWidth(best));
  }
  const wrapped: TableView = { head, rows: view.rows };
  if (tableWidth(widths) <= width) return [wrapped];
  const fixed = widths.slice(0, textColumns);
  const groups: number[][] = [];
  let group: number[] = [];
  for (let i = textColumns; i < columns; i++) {
    if (group.length > 0 && tableWidth([...fixed, ...group.map((j) => widths[j]!), widths[i]!]) > width) {
      groups.push(group);
      group = [];
    }
    group.push(i);
  }
  if (group.length > 0) groups.push(group);
  const pick = (cells: readonly string[], g: number[]) => [...cells.slice(0, textColumns), ...g.map((j) => cells[j] ?? '')];
  return groups.map((g) => ({ head: pick(head, g), rows: view.rows.map((row) => pick(row, g)) }));
}
