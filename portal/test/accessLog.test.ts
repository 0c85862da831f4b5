import { describe, expect, it } from 'vitest';
import { accessOf } from '../src/accessLog';
import { INSTITUTION_NUMBER } from '../src/fhir';

const base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

describe('an access as the patient reads it', () => {
  it('a search: who by name, what by the searched type, why, and that it was read', () => {
    const access = accessOf({
      resourceType: 'AuditEvent', id: '9', recorded: '2026-11-25T06:38:00Z', outcome: '0',
      purposeOfEvent: [{ coding: [{ code: 'TREAT' }] }],
      agent: [{ requestor: true, who: { identifier: { system: INSTITUTION_NUMBER, value: '1412345670' }, display: '横浜みなみ病院' } }],
      entity: [{ what: { reference: 'Patient/7' } }, { query: base64('Observation?patient=Patient/7&category=検査') }],
    });
    expect(access).toMatchObject({
      who: { kind: 'institution', code: '1412345670', name: '横浜みなみ病院' },
      what: ['lab-result', 'infection'], purpose: 'TREAT', emergency: false, refused: false,
    });
  });

  it('what was shown is what the gateway counted, not what was asked for', () => {
    const access = accessOf({
      resourceType: 'AuditEvent', id: '10', outcome: '0', action: 'E',
      agent: [{ requestor: true, who: { identifier: { system: INSTITUTION_NUMBER, value: '2711234568' } } }],
      entity: [{ what: { reference: 'Patient/7' } }, { role: { code: '24' }, description: 'Observation?patient',
        detail: [{ type: 'lab-result', valueString: '3' }, { type: 'total', valueString: '3' }] }],
    });
    expect(access.what).toEqual(['lab-result']);
    const nothing = accessOf({ resourceType: 'AuditEvent', outcome: '0', action: 'E',
      entity: [{ role: { code: '24' }, description: 'Condition?patient', detail: [{ type: 'total', valueString: '0' }] }] });
    expect(nothing.what).toEqual([]);
  });

  it('a consent an institution recorded, and its revocation', () => {
    const recorded = accessOf({ resourceType: 'AuditEvent', outcome: '0', action: 'C',
      agent: [{ requestor: true, who: { identifier: { system: INSTITUTION_NUMBER, value: '1412345670' }, display: '横浜みなみ病院' } }],
      entity: [{ what: { reference: 'Patient/7' } }, { role: { code: '4' }, what: { reference: 'Consent/12' } }] });
    expect(recorded).toMatchObject({ action: 'consent-recorded', consent: 'Consent/12', who: { name: '横浜みなみ病院' } });
    expect(accessOf({ resourceType: 'AuditEvent', outcome: '0', action: 'U',
      entity: [{ what: { reference: 'Consent/12' } }] }).action).toBe('consent-revoked');
  });

  it("a document's author cancelling it is said as such, not as a read", () => {
    const cancelled = accessOf({ resourceType: 'AuditEvent', outcome: '0', action: 'U',
      subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'update' },
        { system: 'http://clinsgateway.jp/fhir/CodeSystem/access-kind', code: 'document-cancelled' }],
      entity: [{ what: { reference: 'Patient/7' } }, { role: { code: '24' }, description: 'Bundle',
        detail: [{ type: 'checkup-report', valueString: '1' }] }, { what: { reference: 'Bundle/5' } }] });
    expect(cancelled).toMatchObject({ action: 'document-cancelled', what: ['checkup-report'] });
  });

  it('an emergency read and a refused read stand out', () => {
    const emergency = accessOf({ resourceType: 'AuditEvent', outcome: '0', purposeOfEvent: [{ coding: [{ code: 'ETREAT' }] }],
      entity: [{ what: { reference: 'Condition/3' } }] });
    expect(emergency).toMatchObject({ emergency: true, what: ['diagnosis'] });
    expect(accessOf({ resourceType: 'AuditEvent', outcome: '4' }).refused).toBe(true);
  });
});

describe('what an access returned, as the gateway recorded it at the time', () => {
  const search = (returned: string, details: { type: string; valueString: string }[] = []) => accessOf({
    resourceType: 'AuditEvent', outcome: returned === 'refused' ? '4' : '0', action: 'E',
    agent: [{ requestor: true, who: { identifier: { system: INSTITUTION_NUMBER, value: '1412345670' } } }],
    entity: [{ what: { reference: 'Patient/7' } }, { role: { code: '24' }, description: 'Condition?patient',
      detail: [...details, { type: 'returned', valueString: returned }] }],
  });

  it('a search that showed nothing says so, with what was searched', () => {
    expect(search('nothing', [{ type: 'total', valueString: '0' }])).toMatchObject({ returned: 'nothing', what: [], searched: ['diagnosis'] });
  });

  it('a count-only answer shows no record, only how many', () => {
    expect(search('count-only', [{ type: 'total', valueString: '5' }])).toMatchObject({ returned: 'count-only', what: [], total: 5 });
  });

  it('records shown are counted per category', () => {
    expect(search('shown', [{ type: 'diagnosis', valueString: '2' }])).toMatchObject({ returned: 'shown', counts: { diagnosis: 2 } });
  });
});
