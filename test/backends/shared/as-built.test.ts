import { describe, expect, it } from 'vitest';
import { layersAsBuilt } from '../../../src/backends/shared/as-built.js';
import { KiB, MiB, scenario, service } from '../docker/fixtures.js';

const busybox = { bytes: 2_000_000, digest: 'b' };

describe('layers modeled as built', () => {
  it('raises a bottom layer to busybox and a top layer to the image files it holds', () => {
    const api = service('api', 2, [
      ['base', 1 * MiB],
      ['app', 100 * KiB],
    ]);
    api.app.files = [{ path: '/usr/lib/big.so', sizeBytes: 500 * KiB, writeBytes: 1, mode: 'modify' }];
    const { scenario: built, notes } = layersAsBuilt(scenario('s', [api]), { busybox });
    // base (1,048,576 B) holds busybox (2,000,000 B); app (102,400 B) holds big.so (512,000 B).
    expect(built.services[0]!.image.layers).toEqual([
      { id: 'base', sizeBytes: 2_000_000 },
      { id: 'app', sizeBytes: 512_000 },
    ]);
    expect(notes).toEqual(['layers modeled as built (busybox in the bottom layer, the files the app writes into on top): base 1.00 MiB -> 1.91 MiB, app 100 KiB -> 500 KiB']);
  });

  it('changes nothing (and says nothing) when every layer holds what the plan puts in it', () => {
    const web = scenario('s', [
      service('web', 1, [
        ['base', 4 * MiB],
        ['web', 1 * MiB],
      ]),
    ]);
    expect(layersAsBuilt(web, { busybox })).toEqual({ scenario: web, notes: [] });
  });

  it('leaves an image given by reference (image.ref) alone: nothing is built for it', () => {
    const ref = service('db', 1, [['tiny', 1 * KiB]]);
    ref.image.ref = 'postgres:16';
    const s = scenario('s', [ref]);
    expect(layersAsBuilt(s, { busybox }).scenario.services[0]!.image.layers).toEqual([{ id: 'tiny', sizeBytes: 1 * KiB }]);
  });
});
