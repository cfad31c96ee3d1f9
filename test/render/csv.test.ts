import { describe, expect, it } from 'vitest';
import { compareReports } from '../../src/compare/compare.js';
import { CSV_COLUMNS, renderCsv } from '../../src/render/csv.js';
import { baseReport, regressedReport } from '../fixtures/reports/build.js';
import { tiny } from './tiny.js';

const header = CSV_COLUMNS.join(',');

describe('renderCsv', () => {
  it('one row per scenario/platform/backend/metric, with provenance columns', () => {
    const lines = renderCsv(tiny(regressedReport())).split('\n');
    // 2 results x 13 metrics + header + the empty string after the final newline.
    expect(lines).toHaveLength(28);
    expect(lines[0]).toBe(header);
    expect(lines[1]).toBe('web-app,container,model,,completed,docker-runc,modeled (built-in),,,,,,,,startupFirstMs,ms,900,,,,,');
    expect(lines[2]).toBe('web-app,container,model,,completed,docker-runc,modeled (built-in),,,,,,,,startupAllMs,ms,,,,,,');
    // Samples [1100, 1090, 1110, 1095, 1105]: mean 1100, nearest-rank p50 1100 and p99 1110.
    expect(lines[16]).toBe('web-app,container,docker,,completed,docker-runc,measured,docker,20.10.24,,0.1,3,3,5,startupP50Ms,ms,1100,5,1100,1100,1110,0.01');
    expect(lines[27]).toBe('');
  });

  it('adds the comparison: base, change, verdict, test, p', () => {
    const lines = renderCsv(tiny(regressedReport()), compareReports(tiny(baseReport()), tiny(regressedReport()))).split('\n');
    expect(lines[0]).toBe(`${header},base,change,min_effect,verdict,test,p,decided_by`);
    expect(lines[1]).toBe('web-app,container,model,,completed,docker-runc,modeled (built-in),,,,,,,,startupFirstMs,ms,900,,,,,,750,0.2,0.1,regression,deterministic,,modeled (deterministic)');
    // Decided-by text holds commas, so it is quoted.
    expect(lines[16]).toBe(
      'web-app,container,docker,,completed,docker-runc,measured,docker,20.10.24,,0.1,3,3,5,startupP50Ms,ms,1100,5,1100,1100,1110,0.01,' +
        '860,0.27906976744186046,0.1,regression,permutation,0.007936507936507936,"exact permutation test (U), p=0.0079"',
    );
  });

  it('appends figures only the base has, and quotes text with quotes and commas', () => {
    const base = tiny(baseReport());
    const next = tiny(regressedReport());
    next.scenarios[0]!.results = next.scenarios[0]!.results.slice(0, 1);
    next.scenarios[0]!.results[0]!.profile = 'run "c", fast';
    const lines = renderCsv(next, compareReports(base, next)).split('\n');
    expect(lines[1]).toContain(',"run ""c"", fast",');
    // The docker result's 3 non-null figures follow as removed rows.
    expect(lines.slice(14, 17)).toEqual([
      'web-app,container,docker,,,,,,,,,,,,startupFirstMs,ms,,,,,,,820,,0.1,removed,,,only in the base',
      'web-app,container,docker,,,,,,,,,,,,startupP50Ms,ms,,,,,,,860,,0.1,removed,,,only in the base',
      'web-app,container,docker,,,,,,,,,,,,memoryPerInstanceBytes,bytes,,,,,,,114294784,,0.1,removed,,,only in the base',
    ]);
  });
});
