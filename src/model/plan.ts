// What each platform model produces before it becomes a PlatformResult: phases, and memory and
// disk parts, each with a note saying where it comes from.

import type { Platform } from '../report/types.js';
import type { Phase } from './phases.js';

/** A named amount of bytes with its explanation. */
export interface Part {
  label: string;
  bytes: number;
  note: string;
  children?: Part[];
}

/** The startup phases of every instance of one service. */
export interface ServicePhases {
  service: string;
  instances: number;
  phases: Phase[];
}

/** The parts one instance of a service adds. */
export interface ServiceParts {
  service: string;
  instances: number;
  parts: Part[];
  /**
   * Memory parts only: what one instance holds that no other process or instance maps (its unique
   * set size, USS: what it frees when it ends). Less than the parts' sum when pages are shared.
   */
  uniqueBytes?: number;
}

export interface PlatformPlan {
  platform: Platform;
  /** Profile names used, e.g. "docker-runc" or "qemu-kvm, firecracker". */
  profile: string;
  /** One-time work before the first instance can start (cold cache). */
  lead: Phase[];
  /** One-time costs the scenario does not pay (e.g. the first start after a daemon comes up), shown in the breakdown. */
  notCounted?: Phase[];
  templates: ServicePhases[];
  memoryShared: Part[];
  memoryPerInstance: ServiceParts[];
  /** Memory each instance holds back for capacity planning (VMs reserve guest RAM without overcommit). */
  memoryReservedPerInstance: ServiceParts[];
  diskShared: Part[];
  diskPerInstance: ServiceParts[];
  notes: string[];
}

/** Sum of parts' bytes. */
export function sumParts(parts: Part[]): number {
  return parts.reduce((sum, part) => sum + part.bytes, 0);
}

/** Sum over services of instances x the service's per-instance bytes. */
export function sumPerInstance(services: ServiceParts[]): number {
  return services.reduce((sum, service) => sum + service.instances * sumParts(service.parts), 0);
}

/** Unique items by id, first occurrence wins (layers and base images are stored once). */
export function uniqueById<T extends { id: string }>(items: T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(item.id)) seen.set(item.id, item);
  return [...seen.values()];
}
