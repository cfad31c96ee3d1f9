// Turns phases and parts into the report's breakdown items.

import type { BreakdownItem } from '../report/types.js';
import type { Part, ServiceParts } from './plan.js';
import { sumParts } from './plan.js';
import type { Phase } from './phases.js';

/** A breakdown line; `note` and `children` are left out when empty, so JSON stays small. */
export function item(label: string, value: number, unit: BreakdownItem['unit'], note?: string, children?: BreakdownItem[]): BreakdownItem {
  return {
    label,
    value,
    unit,
    ...(note === undefined || note === '' ? {} : { note }),
    ...(children === undefined || children.length === 0 ? {} : { children }),
  };
}

export function partItem(part: Part): BreakdownItem {
  return item(part.label, part.bytes, 'bytes', part.note, part.children?.map(partItem));
}

export function phaseItem(phase: Phase): BreakdownItem {
  return item(phase.label, phase.ms, 'ms', `${phase.note} [${phase.resource}]`);
}

/** One item per service: its per-instance total with its parts as children. */
export function serviceItems(services: ServiceParts[], what: string): BreakdownItem[] {
  return services.map((service) => item(`${what}: ${service.service} (x${service.instances})`, sumParts(service.parts), 'bytes', undefined, service.parts.map(partItem)));
}
