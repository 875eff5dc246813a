import type { CaseContext } from '../cases/case-service.js';

/** What forms let people pick from: services, wards (by name) and people who can take cases. */
export interface PickList {
  services: { id: string; name: string }[];
  wards: { id: string; name: string }[];
  assignees: { id: string; name: string }[];
}

export function pickList(ctx: Pick<CaseContext, 'index' | 'directory'>): PickList {
  return {
    services: ctx.index.catalogue.services.map((s) => ({ id: s.id, name: s.name })),
    wards: [...ctx.index.catalogue.wards].sort((a, b) => a.name.localeCompare(b.name)).map((w) => ({ id: w.id, name: w.name })),
    assignees: ctx.directory.people.filter((p) => p.active && p.roles.some((r) => r === 'rm' || r === 'manager' || r === 'admin'))
      .map((p) => ({ id: p.id, name: p.name })),
  };
}
