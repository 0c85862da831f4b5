import { describe, expect, it } from 'vitest';
import { checkupResults } from '../src/checkup';
import type { Resource } from '../src/fhir';
// The demo checkup report the gateway loads at start, as the patient reads it.
import example from '../../ig/src/main/fhir/example/Bundle-checkup-yoshida-tokyo.json';

const demo = example as unknown as Resource;

const observation = (id: string, extra: Record<string, unknown>): Resource => ({
  resourceType: 'Observation', id, code: { text: id }, ...extra,
});
const report = (...observations: Resource[]): Resource => ({
  resourceType: 'Bundle', type: 'document', entry: [
    { fullUrl: 'urn:uuid:c', resource: { resourceType: 'Composition', title: '健診結果報告書',
      section: [{ title: '検査結果', entry: observations.map(o => ({ reference: `urn:uuid:${o.id}` })) },
        { title: '空のセクション', entry: [{ reference: 'urn:uuid:withheld' }] }] } },
    ...observations.map(o => ({ fullUrl: `urn:uuid:${o.id}`, resource: o })),
  ],
});

describe('a checkup report opened to its results', () => {
  it("shows the report's sections in order, each result with its value, unit and reference range", () => {
    const results = checkupResults(demo);
    expect(results.title).toBe('特定健康診査結果報告書');
    expect(results.date).toBe('2026-06-10');
    expect(results.sections.map(s => s.title)).toEqual(['特定健診検査結果', '特定健診問診結果']);
    const bmi = results.sections[0].rows.find(r => r.name === 'BMI');
    expect(bmi).toMatchObject({ value: '26.1 kg/m2', range: '18.5–24.9 kg/m2', flag: 'high' });
    expect(results.sections[0].rows.find(r => r.name === 'HDLコレステロール')).toMatchObject({ value: '42 mg/dL', flag: undefined });
    expect(results.sections[1].rows.find(r => r.name === '喫煙')?.value).toBe('以前は吸っていたが、最近1ヶ月間は吸っていない');
  });

  it("takes the report's own judgement first, else compares the value with the range", () => {
    const [section] = checkupResults(report(
      observation('judged-normal', { valueQuantity: { value: 130, unit: 'mmHg' }, interpretation: [{ coding: [{ code: 'N' }] }],
        referenceRange: [{ high: { value: 129, unit: 'mmHg' } }] }),
      observation('low', { valueQuantity: { value: 35, unit: 'mg/dL' }, referenceRange: [{ low: { value: 40 } }] }),
      observation('in-range', { valueQuantity: { value: 5.2, unit: '%' }, referenceRange: [{ low: { value: 4.6 }, high: { value: 6.2 } }] }),
      observation('worded', { valueCodeableConcept: { text: '陽性' }, interpretation: [{ coding: [{ code: 'POS' }] }],
        referenceRange: [{ text: '陰性' }] }),
    )).sections;
    expect(section.rows.map(r => [r.id, r.flag, r.range])).toEqual([
      ['judged-normal', undefined, '≤ 129 mmHg'],
      ['low', 'low', '≥ 40 mg/dL'],
      ['in-range', undefined, '4.6–6.2 %'],
      ['worded', 'abnormal', '陰性'],
    ]);
  });

  it('leaves out what the document does not hold, and a section with nothing left', () => {
    const results = checkupResults(report(observation('one', { valueString: '異常なし' })));
    expect(results.sections.map(s => s.title)).toEqual(['検査結果']);
  });
});
