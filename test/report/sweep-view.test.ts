// Sweep views: where two platforms' lines cross between points (the break-even), and the tables.

import { describe, expect, it } from 'vitest';
import { describeCrossings, sweepCrossings, type SweepSeries } from '../../src/report/sweep-view.js';

const sweep = { scenario: 's', key: 'instances', values: ['1', '10', '100', '1000'], points: [] };
const series = (platform: SweepSeries['platform'], values: number[]): SweepSeries => ({ platform, profile: 'p', values });

describe('sweepCrossings', () => {
  it('finds a sign change between neighbouring points, with where along the segment', () => {
    // vm - container: 100-500 = -400 at 10, 900-700 = +200 at 100: meets 400/600 = 2/3 of the way.
    const found = sweepCrossings([series('container', [400, 500, 700, 900]), series('vm', [50, 100, 900, 5000])], 'startupAllMs');
    expect(found).toEqual([{ key: 'startupAllMs', a: 'container', b: 'vm', after: 1, at: 400 / 600 }]);
    expect(describeCrossings(sweep, found)).toEqual(['container and vm cross between instances=10 and instances=100']);
  });
  it('counts lines that meet at a point once, and parallel or apart lines never', () => {
    const touching = sweepCrossings([series('process', [1, 2, 3, 4]), series('vm', [2, 3, 3, 5])], 'startupAllMs');
    expect(touching).toHaveLength(1);
    expect(describeCrossings(sweep, touching)).toEqual(['process and vm meet at instances=100']);
    expect(sweepCrossings([series('process', [1, 2, 3, 4]), series('vm', [2, 3, 4, 5])], 'startupAllMs')).toEqual([]);
  });
  it('skips segments with a missing figure', () => {
    expect(sweepCrossings([series('container', [1, 5, 1, 5]), { ...series('vm', [2, 2, 2, 2]), values: [2, null, null, 2] }], 'startupAllMs')).toEqual([]);
  });
});
