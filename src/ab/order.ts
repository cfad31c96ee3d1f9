// The order of an A/B run: base and head alternate within each round, and which goes first
// alternates between rounds (ABBA ...), so a drift of the runner (thermal, caches, a neighbour)
// falls on both sides alike. Pure.

export type Side = 'base' | 'head';

/** Round r (0-based) runs base then head when r is even, head then base when r is odd. */
export function roundOrder(rounds: number): Side[][] {
  return Array.from({ length: rounds }, (_, round) => (round % 2 === 0 ? ['base', 'head'] : ['head', 'base']));
}
