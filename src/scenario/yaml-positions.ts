// Maps a field path such as ["services", 0, "app", "memory"] to the 1-based line where it is
// written, so every problem can point into the file. Missing fields point at their parent's line.

import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';

/** A mapping key or a list index. */
export type PathSegment = string | number;

/** Finds lines for field paths in one parsed YAML document. */
export interface Positions {
  /** The line of the deepest part of `path` that exists in the file; undefined for the file as a whole. */
  lineOf(path: readonly PathSegment[]): number | undefined;
}

/** Positions backed by the `yaml` package's nodes and their ranges. */
export function yamlPositions(doc: Document, lineCounter: LineCounter): Positions {
  const lineAt = (offset: number | undefined): number | undefined => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  return {
    lineOf(path) {
      let node: unknown = doc.contents;
      let line: number | undefined;
      for (const segment of path) {
        if (isAlias(node)) node = node.resolve(doc);
        if (isMap(node)) {
          const pair = (node.items as Pair[]).find((item) => keyText(item.key) === String(segment));
          if (pair === undefined) return line;
          line = lineAt(rangeStart(pair.key) ?? rangeStart(pair.value)) ?? line;
          node = pair.value;
        } else if (isSeq(node) && typeof segment === 'number') {
          const item = node.items[segment];
          if (item === undefined) return line;
          line = lineAt(rangeStart(item)) ?? line;
          node = item;
        } else {
          return line;
        }
      }
      return line;
    },
  };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return key === null || key === undefined ? undefined : String(key);
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
