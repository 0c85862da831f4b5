import { describe, expect, it } from 'vitest';
import {
  allChosen, consentResource, generalDecision, inForce, itemChoices, replaceGeneralDecision, revoked, viewOf,
} from '../src/consents';
import { decisionsOf, effectOf } from '../src/consents';
import { INSTITUTION_NUMBER, PATIENT_CONSENT, SHARE_CATEGORY } from '../src/fhir';

const patient = 'Patient/7';
const stored = (id: string, draft: Parameters<typeof consentResource>[1], start = new Date('2026-01-01')) =>
  ({ ...consentResource(patient, draft, start), id });

describe('a consent as the gateway stores it', () => {
  it('names the institution by its code and the categories by share-category', () => {
    const consent = consentResource(patient, { effect: 'permit', institution: '1412345670', categories: ['lab-result'] });
    expect(consent.meta?.profile).toEqual([PATIENT_CONSENT]);
    const provision = consent.provision as any;
    expect(provision.type).toBe('permit');
    expect(provision.actor[0].reference.identifier).toEqual({ system: INSTITUTION_NUMBER, value: '1412345670' });
    expect(provision.code).toEqual([{ coding: [{ system: SHARE_CATEGORY, code: 'lab-result' }] }]);
    expect((consent.patient as any).reference).toBe(patient);
  });

  it('a comprehensive decision has no actor and no categories', () => {
    const provision = consentResource(patient, { effect: 'deny', categories: [] }).provision as any;
    expect(provision.actor).toBeUndefined();
    expect(provision.code).toBeUndefined();
  });

  it('revoking keeps the consent and marks it inactive', () => {
    const consent = stored('c1', { effect: 'permit', categories: [] });
    expect(revoked(consent)).toEqual({ ...consent, status: 'inactive' });
  });
});

describe('the general decision', () => {
  it('reads none, yes to all, no to all, or item by item', () => {
    expect(generalDecision([])).toBe('none');
    expect(generalDecision([viewOf(stored('a', { effect: 'permit', categories: [] }))])).toBe('all-permit');
    expect(generalDecision([viewOf(stored('a', { effect: 'deny', categories: [] }))])).toBe('all-deny');
    expect(generalDecision([viewOf(stored('a', { effect: 'permit', categories: ['lab-result'] }))])).toBe('items');
  });

  it('a consent for one institution is not the general decision', () => {
    expect(generalDecision([viewOf(stored('a', { effect: 'permit', institution: '1311234567', categories: [] }))])).toBe('none');
  });

  it('per item, a refusal beats a consent as in the consent engine', () => {
    const views = [viewOf(stored('p', { effect: 'permit', categories: [] })), viewOf(stored('d', { effect: 'deny', categories: ['diagnosis'] }))];
    const choices = itemChoices(views);
    expect(choices['diagnosis']).toBe('deny');
    expect(choices['lab-result']).toBe('permit');
  });

  it('a new decision creates its consents and revokes every earlier general one, not institution consents', () => {
    const earlier = [viewOf(stored('all-deny', { effect: 'deny', categories: [] })),
      viewOf(stored('tokyo', { effect: 'permit', institution: '1311234567', categories: [] }))];
    const plan = replaceGeneralDecision(earlier, { ...allChosen('deny'), 'lab-result': 'permit' });
    expect(plan.create).toEqual([
      { effect: 'permit', categories: ['lab-result'] },
      { effect: 'deny', categories: ['diagnosis', 'infection', 'allergy', 'contraindication', 'prescription', 'referral-letter',
        'discharge-summary', 'checkup-report'] },
    ]);
    expect(plan.revoke.map(v => v.id)).toEqual(['all-deny']);
  });

  it('yes (or no) to every item is one comprehensive consent (or refusal)', () => {
    expect(replaceGeneralDecision([], allChosen('permit')).create).toEqual([{ effect: 'permit', categories: [] }]);
    expect(replaceGeneralDecision([], allChosen('deny')).create).toEqual([{ effect: 'deny', categories: [] }]);
  });

  it('only consents in force count: not revoked, begun, not ended', () => {
    const now = new Date('2026-06-01');
    const active = stored('a', { effect: 'permit', categories: [] });
    const ended = { ...stored('b', { effect: 'permit', categories: [] }), provision: { type: 'permit', period: { start: '2026-01-01', end: '2026-02-01' } } };
    const future = stored('c', { effect: 'permit', categories: [] }, new Date('2027-01-01'));
    expect(inForce([active, revoked(stored('d', { effect: 'deny', categories: [] })), ended, future], now).map(v => v.id)).toEqual(['a']);
  });
});

describe('what a consent for one institution will do, from $consent-check', () => {
  const check = (decisions: Record<string, [string, string]>) => decisionsOf({ resourceType: 'Parameters', parameter:
    Object.entries(decisions).map(([code, [decision, reason]]) => ({ name: 'category', part: [
      { name: 'code', valueCoding: { code } }, { name: 'decision', valueCode: decision }, { name: 'reason', valueCode: reason }] })) });

  it('the chosen items become visible, unless the patient refused them: a refusal beats the consent', () => {
    const now = check({ 'diagnosis': ['deny', 'consent-refused'], 'lab-result': ['deny', 'no-consent'], 'allergy': ['permit', 'consent-permitted'] });
    const effect = effectOf(now, ['diagnosis', 'lab-result']);
    expect(effect.hiddenByRefusal).toEqual(['diagnosis']);
    expect([...effect.willSee].sort()).toEqual(['allergy', 'lab-result']);
  });
});
