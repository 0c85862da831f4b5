import { describe, expect, it } from 'vitest';
import { arrange, labSeries, referralDestinations, withinDates } from '../src/records';
import { AUTHOR_INSTITUTION, PATIENT_VISIBILITY, Resource, SHARE_CATEGORY } from '../src/fhir';

/** A record with the gateway's labels, visible to the patient unless said otherwise. */
const tagged = (resource: Resource, category: string | null, author = '1311234567', visible = true): Resource => ({
  ...resource,
  meta: { tag: [...(category ? [{ system: SHARE_CATEGORY, code: category }] : []), { system: AUTHOR_INSTITUTION, code: author },
    ...(visible && category ? [{ system: PATIENT_VISIBILITY, code: category }] : [])] },
});

const lab = (id: string, date: string, value: number) => tagged({
  resourceType: 'Observation', id, effectiveDateTime: date,
  code: { coding: [{ system: 'jlac10', code: 'hba1c', display: 'HbA1c-NGSP' }], text: 'HbA1c(NGSP)' },
  valueQuantity: { value, unit: '%' },
  referenceRange: [{ low: { value: 4.6 }, high: { value: 6.2 } }],
}, 'lab-result');

describe('the records as a person reads them', () => {
  it('one trend per test, oldest first, with the reference range and results outside it marked', () => {
    const [series] = labSeries([lab('b', '2026-07-14', 7.2), lab('a', '2026-04-14', 7.6), lab('c', '2026-10-14', 6.0)]);
    expect(series.name).toBe('HbA1c(NGSP)');
    expect(series.points.map(p => p.value)).toEqual([7.6, 7.2, 6.0]);
    expect(series.points.map(p => p.outOfRange)).toEqual([true, true, false]);
    expect([series.low, series.high]).toEqual([4.6, 6.2]);
  });

  it('allergies and contraindications apart, checkup reports only among the documents', () => {
    const records = arrange([
      tagged({ resourceType: 'AllergyIntolerance', id: 'a', code: { text: 'そば' } }, 'allergy'),
      tagged({ resourceType: 'AllergyIntolerance', id: 'c', code: { text: 'ペニシリン' } }, 'contraindication'),
      tagged({ resourceType: 'Condition', id: 'd', code: { text: '2型糖尿病' }, onsetDateTime: '2019-04-12' }, 'diagnosis'),
      tagged({ resourceType: 'DocumentReference', id: 'k', type: { coding: [{ system: 'http://loinc.org', code: '53576-5' }] } }, 'checkup-report'),
      tagged({ resourceType: 'DocumentReference', id: 's', type: { coding: [{ system: 'http://loinc.org', code: '18842-5' }] } }, 'discharge-summary'),
      tagged({ resourceType: 'DocumentReference', id: 'r', type: { coding: [{ system: 'http://loinc.org', code: '57133-1' }] } }, null),
    ]);
    expect(records.allergies.map(i => i.title)).toEqual(['そば']);
    expect(records.contraindications.map(i => i.title)).toEqual(['ペニシリン']);
    expect(records.diagnoses[0]).toMatchObject({ title: '2型糖尿病', institution: '1311234567', date: '2019-04-12' });
    expect(records.checkups.map(c => c.id)).toEqual(['k']);
  });

  it('an item without the patient-visibility label (UNINFORMED, UNDELIVERED) is never shown', () => {
    const records = arrange([
      tagged({ resourceType: 'Condition', id: 'told', code: { text: '高血圧症' } }, 'diagnosis'),
      tagged({ resourceType: 'Condition', id: 'untold', code: { text: '悪性腫瘍' } }, 'diagnosis', '1311234567', false),
    ]);
    expect(records.diagnoses.map(d => d.id)).toEqual(['told']);
  });

  it('a referral letter is known by its sender and destination, for approval, without its content', () => {
    const answer: Resource = { resourceType: 'Parameters', parameter: [
      { name: 'referral', part: [{ name: 'letter', valueString: 'r' }, { name: 'from', valueString: '1311234567' },
        { name: 'to', valueString: '2711234568' }, { name: 'date', valueDateTime: '2026-10-15' }, { name: 'onHold', valueBoolean: true }] },
      { name: 'referral', part: [{ name: 'letter', valueString: 's' }, { name: 'to', valueString: '1412345670' },
        { name: 'onHold', valueBoolean: false }] },
    ] };
    expect(referralDestinations(answer)).toEqual([
      { id: 'r', from: '1311234567', to: '2711234568', date: '2026-10-15', onHold: true },
      { id: 's', from: undefined, to: '1412345670', date: undefined, onHold: false },
    ]);
  });
});

describe('diagnoses as a person reads them', () => {
  const condition = (id: string, institution: string, onset?: string) => ({
    resourceType: 'Condition', id, ...(onset ? { onsetDateTime: onset } : { recordedDate: '2026-01-05' }),
    code: { coding: [{ system: 'http://medis.or.jp/CodeSystem/master-disease-keyNumber', code: '20056494' }], text: '2型糖尿病' },
    meta: { tag: [
      { system: 'http://clinsgateway.jp/fhir/CodeSystem/share-category', code: 'diagnosis' },
      { system: 'http://clinsgateway.jp/fhir/CodeSystem/patient-visibility', code: 'diagnosis' },
      { system: 'http://clinsgateway.jp/fhir/CodeSystem/author-institution', code: institution }] },
  });

  it('the same diagnosis from two institutions is one entry naming the other, with its date labelled', () => {
    const { diagnoses } = arrange([condition('1', '1311234567', '2025-04-01'), condition('2', '2711234568')]);
    expect(diagnoses).toHaveLength(1);
    expect(diagnoses[0]).toMatchObject({ id: '2', dateKind: 'recorded', alsoFrom: ['1311234567'] });
  });
});

describe('prescriptions and lab results within a period', () => {
  const prescription = (id: string, authoredOn: string) => tagged({
    resourceType: 'MedicationRequest', id, authoredOn, medicationCodeableConcept: { text: 'メトホルミン' } }, 'prescription');
  const records = arrange([
    lab('a', '2026-04-14', 7.6), lab('b', '2026-07-14T10:00:00+09:00', 7.2), lab('c', '2026-10-14', 6.0),
    prescription('p1', '2026-04-14'), prescription('p2', '2026-10-14'),
    tagged({ resourceType: 'Condition', id: 'd', code: { text: '2型糖尿病' }, onsetDateTime: '2019-04-12' }, 'diagnosis'),
  ]);

  it('keeps only what lies in the period, both ends included, and leaves the other records alone', () => {
    const inSummer = withinDates(records, { from: '2026-07-14', to: '2026-10-13' });
    expect(inSummer.labSeries[0].points.map(p => p.value)).toEqual([7.2]);
    expect(inSummer.prescriptions).toEqual([]);
    expect(inSummer.diagnoses).toHaveLength(1);
    expect(withinDates(records, { from: '2026-10-01' }).prescriptions.map(p => p.id)).toEqual(['p2']);
    expect(withinDates(records, { to: '2026-04-14' }).prescriptions.map(p => p.id)).toEqual(['p1']);
  });

  it('a test with no result in the period has no chart, and no period shows everything', () => {
    expect(withinDates(records, { from: '2027-01-01' }).labSeries).toEqual([]);
    expect(withinDates(records, {})).toBe(records);
  });
});
