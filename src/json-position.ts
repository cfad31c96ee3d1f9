// Where JSON text first goes wrong, as a line and column: Node's JSON.parse names no position for
// many errors ("Unexpected token '#', "# isobench"... is not valid JSON"), so a report or profile
// file would otherwise be blamed at its last line. jsonc-parser scans strictly (no comments, no
// trailing commas) and gives the offset of the first error.

import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** The first syntax error's 1-based line and column, or undefined when the text is valid JSON. */
export function jsonErrorPosition(text: string): { line: number; column: number; code: string } | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return undefined;
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column, code: printParseErrorCode(first.error) };
}
