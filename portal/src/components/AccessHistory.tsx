// Who read what, when and why: every read of the patient's records by another institution or an insurer,
// refusals included, newest first; emergency reads without consent stand out.
import type { Access } from '../accessLog';
import { CATEGORY_NAMES, formatDateTime, Language, Words } from '../i18n';
import type { Directory } from '../institutions';

export function AccessHistory({ accesses, words, language, names }: {
  accesses: Access[]; words: Words; language: Language; names: Directory;
}) {
  const who = (a: Access) => {
    if (a.who.kind === 'institution' && a.who.code) {
      return a.who.name ?? names(a.who.code) ?? words.institutionWithCode(a.who.code);
    }
    if (a.who.kind === 'insurer' && a.who.code) {
      return a.who.name ?? words.insurerWithNumber(a.who.code);
    }
    return a.who.name ?? '—';
  };
  const why = (purpose?: string) => purpose === 'ETREAT' ? words.purposeEmergency : purpose === 'TREAT' ? words.purposeTreat
    : purpose === 'HPRGRP' ? words.purposeInsurer : words.purposeOther;
  const categories = CATEGORY_NAMES[language];
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{words.historyTitle}</h2>
      <p>{words.historyExplain}</p>
      {accesses.length === 0 ? <p class="empty">{words.historyNone}</p> : (
        <table class="history" data-testid="access-history">
          <thead>
            <tr>
              <th scope="col">{words.when}</th>
              <th scope="col">{words.who}</th>
              <th scope="col">{words.what}</th>
              <th scope="col">{words.why}</th>
              <th scope="col">{words.result}</th>
            </tr>
          </thead>
          <tbody>
            {accesses.map(a => (
              <tr key={a.id} class={[a.emergency ? 'emergency' : '', a.refused ? 'refused' : ''].join(' ')}
                  data-who={a.who.code} data-purpose={a.purpose}>
                <td data-label={words.when}><time dateTime={a.when}>{formatDateTime(a.when, language)}</time></td>
                <td data-label={words.who}>{who(a)}</td>
                <td data-label={words.what}>{a.what.map(c => categories[c]).join('、') || '—'}</td>
                <td data-label={words.why}>
                  {a.emergency && <strong class="badge emergency">{words.emergency}</strong>} {why(a.purpose)}
                </td>
                <td data-label={words.result}>{a.refused ? words.outcomeRefused : words.outcomeRead}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
