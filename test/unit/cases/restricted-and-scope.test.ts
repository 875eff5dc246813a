import { describe, expect, it } from 'vitest';
import { canView, caseScopeOf, mayDescribe, type CaseView } from '../../../src/cases/authorisation.js';
import type { Person } from '../../../src/directory/person.js';
import { asPersonId, asServiceId, asWardId } from '../../../src/shared/ids.js';
import type { Role } from '../../../src/shared/enums.js';

const person = (id: string, roles: Role[], extra: Partial<Person> = {}): Person => ({
  id: asPersonId(id), email: `${id}@x.example`, name: id, roles, wardIds: [], serviceIds: [], slackUserId: null, teamsUserId: null, away: [], active: true, ...extra,
});
const housingCase: CaseView = {
  serviceId: asServiceId('housing-management'), wardId: asWardId('kingstanding'), assigneeId: asPersonId('rm'), rmId: asPersonId('rm'), deputyId: null,
  raisedById: asPersonId('raiser'), watcherIds: [asPersonId('follower')], status: 'routed', resolvedAt: null,
};

describe('restricted services: counted, described only to those working on the case', () => {
  it('describes a restricted case to its RM, the service\'s manager, admins, the raiser and followers only', () => {
    const yes = [person('rm', ['rm']), person('m', ['manager'], { serviceIds: [asServiceId('housing-management')] }), person('a', ['admin']), person('raiser', ['councillor']), person('follower', ['councillor'])];
    const no = [person('ward-cllr', ['councillor'], { wardIds: [asWardId('kingstanding')] }), person('wac', ['wac'], { wardIds: [asWardId('kingstanding')] }), person('other-m', ['manager'], { serviceIds: [asServiceId('parks')] })];
    for (const p of yes) expect(mayDescribe(p, housingCase, true), p.id).toBe(true);
    for (const p of no) expect(mayDescribe(p, housingCase, true), p.id).toBe(false);
    expect(mayDescribe(null, null, true)).toBe(false);
    expect(mayDescribe(no[0]!, housingCase, false)).toBe(true);
  });

  it('lets the ward\'s councillor see a restricted case exists, but not another ward\'s, nor another service\'s manager', () => {
    expect(canView(person('c', ['councillor'], { wardIds: [asWardId('kingstanding')] }), housingCase, { restricted: true })).toBe(true);
    expect(canView(person('c', ['councillor'], { wardIds: [asWardId('erdington')] }), housingCase, { restricted: true })).toBe(false);
    expect(canView(person('m', ['manager'], { serviceIds: [asServiceId('parks')] }), housingCase, { restricted: true })).toBe(false);
    expect(canView(person('m', ['manager'], { serviceIds: [asServiceId('parks')] }), housingCase, { restricted: false })).toBe(true);
  });
});

describe('caseScopeOf: the cases a person works with', () => {
  it('gives wards to councillors, WACs and senior officers, services to managers, everything to admins', () => {
    const wards = [asWardId('erdington')];
    expect(caseScopeOf(person('w', ['wac'], { wardIds: wards })).wardIds).toEqual(wards);
    expect(caseScopeOf(person('s', ['senior_officer'], { wardIds: wards })).wardIds).toEqual(wards);
    expect(caseScopeOf(person('c', ['councillor'], { wardIds: wards })).wardIds).toEqual(wards);
    const m = caseScopeOf(person('m', ['manager'], { wardIds: wards, serviceIds: [asServiceId('parks')] }));
    expect(m).toMatchObject({ all: false, wardIds: [], serviceIds: ['parks'] });
    expect(caseScopeOf(person('a', ['admin'])).all).toBe(true);
    expect(caseScopeOf(person('x', ['admin'], { active: false })).all).toBe(false);
  });
});
