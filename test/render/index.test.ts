// The renderer registry: every format renders the fixture report, and names the same functions.

import { describe, expect, it } from 'vitest';
import { RENDERERS, renderJson, renderTable } from '../../src/render/index.js';
import { fixtureReport } from './fixture.js';

describe('RENDERERS', () => {
  it('lists the formats in a fixed order', () => {
    expect(Object.keys(RENDERERS)).toEqual(['table', 'markdown', 'json', 'explain', 'html', 'csv', 'gab']);
  });

  it('renders the fixture in every format as a non-empty string', () => {
    for (const render of Object.values(RENDERERS)) expect(render(fixtureReport()).length).toBeGreaterThan(0);
  });

  it('passes options through: table with --explain equals renderTable with explain', () => {
    expect(RENDERERS.table(fixtureReport(), { explain: true })).toBe(renderTable(fixtureReport(), { explain: true }));
    expect(RENDERERS.json(fixtureReport())).toBe(renderJson(fixtureReport()));
  });
});
