// JSON output: the report itself, two-space indented, newline-terminated, and parseable back.

import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/render/json.js';
import { fixtureReport } from './fixture.js';

describe('renderJson', () => {
  it('round-trips the report exactly', () => {
    const report = fixtureReport();
    expect(JSON.parse(renderJson(report))).toEqual(report);
  });

  it('keeps the report field order and ends with a newline', () => {
    const text = renderJson(fixtureReport());
    expect(text.split('\n').slice(0, 7).join('\n')).toBe(`{
  "schemaVersion": 1,
  "tool": {
    "name": "isobench",
    "version": "0.1.0"
  },
  "runId": "20261105-120301-abcdef",`);
    expect(text.endsWith('}\n')).toBe(true);
  });
});
