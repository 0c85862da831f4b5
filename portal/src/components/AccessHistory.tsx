// Who read what, when and why: every read of the patient's records by another institution or an insurer,
// refusals included, newest first; emergency reads without consent stand out. Who recorded or revoked one of
// the patient's consents, with a way to revoke at once a consent someone else recorded that still holds.
import type { Access } from '../accessLog';
import type { Category } from '../fhir';
import type { ConsentView } from '../consents';
import { CATEGORY_NAMES, formatDateTime, Language, Words } from '../i18n';
import type { Directory } from '../institutions';

export function AccessHistory({ accesses, words, language, names, consents, onRevoke }: {
  accesses: Access[]; words: Words; language: Language; names: Directory;
  consents: ConsentView[]; onRevoke: (view: ConsentView) => void;
}) {
  const inForce = (reference?: string) => consents.find(c => reference === `Consent/${c.id}`);
  const who = (a: Access) => {
    if (a.who.kind === 'institution' && a.who.code) {
      return a.who.name ?? names(a.who.code) ?? words.institutionWithCode(a.who.code);
    }
    if (a.who.kind === 'insurer' && a.who.code) {
      return a.who.name ?? words.insurerWithNumber(a.who.code);
    }
    if (a.who.kind === 'patient') {
      return words.you;
    }
    if (a.who.kind === 'operator') {
      return words.operator;
    }
    return a.who.name ?? '—';
  };
  const self = (a: Access) => a.who.kind === 'patient';
  const list = (items: Category[]) => items.map(c => categories[c]).join(words.listSeparator);
  const shown = (a: Access) => a.what.map(c => categories[c]).join(words.listSeparator);
  const looked = (a: Access) => a.searchedType === 'Patient' ? words.patientDetails : list(a.searched) || words.recordsOfType;
  // Exactly what the gateway recorded as returned: counts of what was shown, or that nothing (or only a count) was.
  const returned = (a: Access) => a.returned === 'shown'
    ? (Object.keys(a.counts).length > 0
      ? (Object.entries(a.counts) as [Category, number][]).map(([c, n]) => words.shownCount(categories[c], n)).join(words.listSeparator)
      : a.searchedType === 'Patient' ? words.patientDetails : shown(a) || looked(a))
    : a.returned === 'nothing' ? words.searchedNothing(looked(a))
    : a.returned === 'count-only' ? words.countOnly(looked(a), a.total ?? 0)
    : a.returned === 'refused' ? words.askedFor(shown(a) || looked(a))
    : shown(a) || '—';
  const what = (a: Access) => a.action === 'consent-recorded' ? (self(a) ? words.consentRecordedBySelf : words.consentRecorded(who(a)))
    : a.action === 'consent-revoked' ? (self(a) ? words.consentRevokedBySelf : words.consentRevokedBy(who(a)))
    : a.action === 'document-cancelled' ? words.documentCancelled(who(a), shown(a))
    : a.action === 'document-restored' ? words.documentRestored(who(a), shown(a))
    : a.action === 'document-changed' ? words.documentChanged(who(a), shown(a))
    : returned(a);
  const result = (a: Access) => a.refused ? words.outcomeRefused
    : a.returned === 'nothing' ? words.outcomeNothing : a.returned === 'count-only' ? words.outcomeCountOnly
    : a.action === 'consent-recorded' ? words.outcomeConsentRecorded
    : a.action === 'consent-revoked' ? words.outcomeConsentRevoked
    : a.action.startsWith('document-') ? words.outcomeDocumentStep : words.outcomeRead;
  const why = (purpose?: string) => purpose === 'ETREAT' ? words.purposeEmergency : purpose === 'TREAT' ? words.purposeTreat
    : purpose === 'HPRGRP' ? words.purposeInsurer : purpose === 'PATRQT' ? words.purposeSelf
    : purpose === 'HOPERAT' ? words.purposeOperations : words.purposeOther;
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
                  data-who={a.who.code} data-purpose={a.purpose} data-action={a.action} data-returned={a.returned}
                  data-counts={(Object.entries(a.counts) as [string, number][]).map(([c, n]) => `${c}=${n}`).join(' ')}>
                <td data-label={words.when}><time dateTime={a.when}>{formatDateTime(a.when, language)}</time></td>
                <td data-label={words.who}>{who(a)}</td>
                <td data-label={words.what}>{what(a)}</td>
                <td data-label={words.why}>
                  {a.emergency && <strong class="badge emergency">{words.emergency}</strong>} {why(a.purpose)}
                </td>
                <td data-label={words.result}>
                  {result(a)}
                  {a.action === 'consent-recorded' && a.who.kind !== 'patient' && inForce(a.consent) && (
                    <button type="button" class="secondary" data-testid="undo-consent" onClick={() => onRevoke(inForce(a.consent)!)}>
                      {words.undoConsent}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
