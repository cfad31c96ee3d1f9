// "Did you mean": a near-miss correction for a key, an enum value or a unit, only when it is close:
// a known synonym, a case-insensitive match, a unique name that contains it as a dash-separated part
// ("kvm" -> "qemu-kvm"), or a spelling within a third of its length.

import { closest, distance } from 'fastest-levenshtein';

/**
 * Words people bring from other tools, and isobench's word for them. Used only when the target is
 * one of the candidates. `instances` is the one word for copies of a service: the report's metrics
 * (maxInstances, memoryPerInstanceBytes) use it, so a file that says `replicas` is pointed to it.
 */
export const SYNONYMS: Readonly<Record<string, string>> = {
  replicas: 'instances',
  replica: 'instances',
  scale: 'instances',
  docker: 'docker-runc',
  runc: 'docker-runc',
  containerd: 'containerd-runc',
  kvm: 'qemu-kvm',
  qemu: 'qemu-kvm',
  tcg: 'qemu-tcg',
  fc: 'firecracker',
  ch: 'cloud-hypervisor',
  k: 'KiB',
  ki: 'KiB',
  m: 'MiB',
  mi: 'MiB',
  g: 'GiB',
  gi: 'GiB',
  t: 'TiB',
  ti: 'TiB',
  sec: 's',
  secs: 's',
  msec: 'ms',
  mins: 'min',
};

/** The candidate closest to `input`, or undefined when none is close enough to be a guess. */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0 || input === '') return undefined;
  const lower = input.toLowerCase();
  const exact = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  const synonym = SYNONYMS[lower];
  if (synonym !== undefined && candidates.includes(synonym)) return synonym;
  const parts = candidates.filter((candidate) => candidate.toLowerCase().split('-').includes(lower));
  if (parts.length === 1) return parts[0];
  const lowered = candidates.map((candidate) => candidate.toLowerCase());
  const best = closest(lower, lowered);
  const index = lowered.indexOf(best);
  const allowed = Math.floor(Math.max(lower.length, best.length) / 3);
  return distance(lower, best) <= allowed ? candidates[index] : undefined;
}
