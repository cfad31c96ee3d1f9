// Text -> plain data, refusing what a scenario file never needs: syntax errors, several documents,
// huge node counts, alias bombs, and a top level that is not a mapping.

import { LineCounter, isAlias, isMap, isSeq, isScalar, parseAllDocuments, visit, type Document } from 'yaml';
import type { Problem } from '../errors.js';
import { thousands } from './fields.js';
import { LIMITS } from './limits.js';
import { yamlPositions, type Positions } from './yaml-positions.js';

/** The parsed top-level mapping and where its fields are, or every problem found on the way. */
/** Syntax errors listed before the rest are counted. */
export const MAX_SYNTAX_ERRORS = 3;

export type YamlRead = { ok: true; value: Record<string, unknown>; positions: Positions } | { ok: false; problems: Problem[] };

/** Parses one scenario document; never throws for bad input. */
export function readYaml(text: string, file: string): YamlRead {
  const tooComplex = preScan(text);
  if (tooComplex !== undefined) return fail({ file, path: '', message: tooComplex });
  const lineCounter = new LineCounter();
  const line = (offset: number): number => lineCounter.linePos(offset).line;
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true }) as Document.Parsed[];
  const first = docs[0];
  if (first === undefined || (docs.length === 1 && first.contents === null && first.errors.length === 0)) {
    return fail({ file, path: '', message: 'holds no YAML content; expected a mapping with name, description and services' });
  }
  if (docs.length > 1) {
    const second = docs[1];
    return fail({
      file,
      path: '',
      ...(second?.range ? { line: line(second.range[0]) } : {}),
      message: `holds ${docs.length} YAML documents (separated by "---"); a scenario file holds exactly one`,
    });
  }
  if (first.errors.length > 0) {
    // One slip (an unquoted "{i}" in a { } list, a bad indent) often sets off dozens of follow-on
    // errors: the first few say it, the rest are counted.
    const lines = text.split('\n');
    const shown = first.errors.slice(0, MAX_SYNTAX_ERRORS).map((error): Problem => {
      const at = line(error.pos[0]);
      const hint = /\{i\}/.test(lines[at - 1] ?? '') ? ' (a string with {i} inside { } or [ ] must be quoted: "svc-{i}")' : '';
      return { file, path: '', line: at, message: `YAML syntax error: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}${hint}` };
    });
    const more = first.errors.length - shown.length;
    if (more > 0) shown.push({ file, path: '', message: `... and ${more} more YAML syntax errors, most likely caused by the first` });
    return { ok: false, problems: shown };
  }
  let nodes = 0;
  const complexKeys: Problem[] = [];
  visit(first, {
    Node: () => {
      nodes += 1;
      return nodes > LIMITS.yamlNodes ? visit.BREAK : undefined;
    },
    Pair: (_key, pair) => {
      nodes += 1;
      if (pair.key !== null && !isScalar(pair.key) && !isAlias(pair.key)) {
        const start = (pair.key as { range?: [number, number, number] }).range?.[0];
        complexKeys.push({ file, path: '', ...(start === undefined ? {} : { line: line(start) }), message: 'a key is a list or a mapping; keys are plain words such as "name"' });
      }
      return nodes > LIMITS.yamlNodes ? visit.BREAK : undefined;
    },
  });
  if (nodes > LIMITS.yamlNodes) {
    return fail({ file, path: '', message: `has more than ${thousands(LIMITS.yamlNodes)} YAML nodes; a scenario needs far fewer` });
  }
  if (complexKeys.length > 0) return { ok: false, problems: complexKeys };
  if (!isMap(first.contents)) {
    const got = isSeq(first.contents) ? 'a list' : isScalar(first.contents) ? `a single value` : 'something else';
    return fail({ file, path: '', line: 1, message: `the top level is ${got}; expected a mapping with name, description and services` });
  }
  let value: unknown;
  try {
    value = first.toJS({ maxAliasCount: LIMITS.yamlAliases });
  } catch (error) {
    if (error instanceof ReferenceError) {
      return fail({
        file,
        path: '',
        message: `expands YAML aliases too many times (an alias bomb?); at most ${LIMITS.yamlAliases} alias expansions are allowed`,
      });
    }
    throw error;
  }
  return { ok: true, value: value as Record<string, unknown>, positions: yamlPositions(first, lineCounter) };
}

/** Codes of newline , : ? - & * ! [ { | >: anything that can start or separate a node. */
const INDICATORS = new Set([...'\n,:?-&*![{|>'].map((char) => char.charCodeAt(0)));
const OPEN = new Set([91, 123]); // [ {
const CLOSE = new Set([93, 125]); // ] }

/** A cheap look at the text before the parser spends seconds (or all its memory) on it. */
function preScan(text: string): string | undefined {
  let indicators = 0;
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (INDICATORS.has(code)) indicators += 1;
    if (OPEN.has(code)) deepest = Math.max(deepest, (depth += 1));
    else if (CLOSE.has(code) && depth > 0) depth -= 1;
  }
  if (indicators > LIMITS.yamlIndicators) {
    return `has more than ${thousands(LIMITS.yamlIndicators)} YAML indicators (newlines , : - ? & * ! [ { | >): too many YAML nodes; a scenario needs far fewer`;
  }
  if (deepest > LIMITS.yamlFlowDepth) return `nests [ ] or { } more than ${LIMITS.yamlFlowDepth} levels deep; a scenario needs a few`;
  return undefined;
}

function fail(problem: Problem): YamlRead {
  return { ok: false, problems: [problem] };
}
