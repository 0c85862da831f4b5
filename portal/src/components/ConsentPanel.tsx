// The first screen: the question, with "do not agree" exactly as visible as "agree"; then item-by-item choice,
// consent for one institution, referral letters waiting for approval, and every decision in force with its revoke.
import { useEffect, useState } from 'preact/hooks';
import { CATEGORIES, Category } from '../fhir';
import { CATEGORY_NAMES, formatDate, formatDateTime, Language, Words } from '../i18n';
import type { Directory } from '../institutions';
import type { Referral } from '../records';
import { allChosen, CategoryDecisions, Choice, ConsentView, effectOf, emergencyOnly, generalDecision, itemChoices } from '../consents';
import type { Institution } from '../gateway';

export interface PendingReferral extends Referral { onHold: boolean }

interface Props {
  consents: ConsentView[];
  referrals: PendingReferral[];
  words: Words;
  language: Language;
  names: Directory;
  busy: boolean;
  onDecide: (choices: Record<Category, Choice>) => void;
  onApproveInstitution: (institution: string, categories: Category[]) => void;
  onApproveReferral: (referral: PendingReferral) => void;
  onRevoke: (consent: ConsentView) => void;
  onReceptionCode: (institution: string) => Promise<{ code: string; expires?: string }>;
  onSearchInstitutions: (text: string) => Promise<Institution[]>;
  onCheckConsent: (institution: string) => Promise<CategoryDecisions>;
}

const ITEMS: Category[] = ['diagnosis', 'infection', 'allergy', 'contraindication', 'lab-result', 'prescription'];

export function ConsentPanel(props: Props) {
  const { consents, referrals, words, language, names, busy } = props;
  const [choosing, setChoosing] = useState(false);
  const decision = generalDecision(consents);
  const institution = (code?: string) => (code ? names(code) ?? words.institutionWithCode(code) : words.allInstitutions);
  const categoryNames = CATEGORY_NAMES[language];
  const pending = referrals.filter(r => r.onHold);

  return (
    <div class="consent">
      <section class="question" aria-labelledby="question-heading">
        <h2 id="question-heading">{words.consentQuestion}</h2>
        <p>{words.consentExplain}</p>
        <div class="decision-buttons">
          <button type="button" class="decide permit" data-testid="consent-all" disabled={busy}
                  onClick={() => props.onDecide(allChosen('permit'))}>{words.consentAll}</button>
          <button type="button" class="decide deny" data-testid="refuse-all" disabled={busy}
                  onClick={() => props.onDecide(allChosen('deny'))}>{words.refuseAll}</button>
        </div>
        <button type="button" class="secondary" data-testid="choose-items" aria-expanded={choosing} disabled={busy}
                onClick={() => setChoosing(!choosing)}>{words.chooseItems}</button>
        <p class="current" data-testid="current-decision" data-decision={decision}>
          <strong>{words.currentDecision}: </strong>
          {decision === 'none' ? words.decisionNone : decision === 'all-permit' ? words.decisionAllPermit
            : decision === 'all-deny' ? words.decisionAllDeny : words.decisionItems}
        </p>
      </section>

      {choosing && (
        <ItemChoices initial={itemChoices(consents)} words={words} language={language} busy={busy}
                     onCancel={() => setChoosing(false)}
                     onSave={choices => { setChoosing(false); props.onDecide(choices); }} />
      )}

      <section aria-labelledby="active-heading">
        <h2 id="active-heading">{words.activeTitle}</h2>
        {consents.length === 0 ? <p class="empty">{words.activeNone}</p> : (
          <ul class="consents" data-testid="active-consents">
            {consents.map(view => {
              const what = view.categories.length === 0 ? words.allItems : view.categories.map(c => categoryNames[c]).join(words.listSeparator);
              const summary = `${view.effect === 'permit' ? words.kindPermit : words.kindDeny}: ${institution(view.institution)} — ${what}`;
              return (
                <li key={view.id} class={view.effect} data-consent-id={view.id} data-effect={view.effect}
                    data-categories={view.categories.join(' ')}>
                  <span class={`badge ${view.effect}`}>{view.effect === 'permit' ? words.kindPermit : words.kindDeny}</span>
                  <span class="consent-who">{institution(view.institution)}</span>
                  <span class="consent-what">{what}{emergencyOnly(view) && `（${words.emergencyOnly}）`}</span>
                  {view.recordedBy && <span class="consent-recorder" data-recorded-by={view.recordedBy}>
                    {words.recordedBy(institution(view.recordedBy))}</span>}
                  <span class="consent-period">{words.period}: {view.end
                    ? words.periodFromTo(formatDate(view.start, language), formatDate(view.end, language))
                    : words.periodFrom(formatDate(view.start, language))}</span>
                  <button type="button" class="revoke" disabled={busy} aria-label={words.revokeLabel(summary)}
                          onClick={() => props.onRevoke(view)}>{words.revoke}</button>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby="referral-heading">
        <h2 id="referral-heading">{words.referralTitle}</h2>
        <p>{words.referralExplain}</p>
        {pending.length > 0 && itemChoices(consents)['referral-letter'] === 'deny' && (
          <p class="problem-message" data-testid="referral-blocked">{words.referralBlocked}</p>
        )}
        {pending.length === 0 ? <p class="empty">{words.referralNone}</p> : (
          <ul class="items" data-testid="pending-referrals">
            {pending.map(r => (
              <li key={r.id}>
                <span class="item-title">{words.referralFromTo(institution(r.from), institution(r.to))}</span>
                {r.date && <span class="item-meta"><time dateTime={r.date}>{formatDate(r.date, language)}</time></span>}
                <button type="button" disabled={busy} onClick={() => props.onApproveReferral(r)}>{words.approveReferral}</button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <InstitutionConsent words={words} language={language} busy={busy} onApprove={props.onApproveInstitution}
                          onSearch={props.onSearchInstitutions} onCheck={props.onCheckConsent} />
      <ReceptionCode words={words} language={language} busy={busy} onShow={props.onReceptionCode} />
    </div>
  );
}

/** The general decision item by item; referral letters are decided per destination below, so not here. */
function ItemChoices({ initial, words, language, busy, onSave, onCancel }: {
  initial: Record<Category, Choice>; words: Words; language: Language; busy: boolean;
  onSave: (choices: Record<Category, Choice>) => void; onCancel: () => void;
}) {
  const [choices, setChoices] = useState(initial);
  const names = CATEGORY_NAMES[language];
  return (
    <section class="item-choices" aria-labelledby="items-heading">
      <h2 id="items-heading">{words.itemsTitle}</h2>
      <p>{words.itemsExplain}</p>
      <form onSubmit={e => { e.preventDefault(); onSave({ ...choices, 'referral-letter': 'undecided' }); }}>
        {CATEGORIES.filter(c => c !== 'referral-letter').map(category => (
          <fieldset key={category} class="choice" data-category={category}>
            <legend>{names[category]}</legend>
            {(['permit', 'deny', 'undecided'] as Choice[]).map(choice => (
              <label key={choice} class={`option ${choice}`}>
                <input type="radio" name={category} value={choice} checked={choices[category] === choice}
                       onChange={() => setChoices({ ...choices, [category]: choice })} />
                {choice === 'permit' ? words.permit : choice === 'deny' ? words.deny : words.undecided}
              </label>
            ))}
          </fieldset>
        ))}
        <div class="form-buttons">
          <button type="submit" data-testid="save-items" disabled={busy}>{words.save}</button>
          <button type="button" class="secondary" onClick={onCancel}>{words.cancel}</button>
        </div>
      </form>
    </section>
  );
}

/** The one-time code a patient shows at an institution's reception, so that the institution may record their consent. */
function ReceptionCode({ words, language, busy, onShow }: {
  words: Words; language: Language; busy: boolean; onShow: (institution: string) => Promise<{ code: string; expires?: string }>;
}) {
  const [institution, setInstitution] = useState('');
  const [problem, setProblem] = useState('');
  const [shown, setShown] = useState<{ code: string; expires?: string } | undefined>();
  const submit = (e: Event) => {
    e.preventDefault();
    const digits = institution.normalize('NFKC').trim();
    if (!/^[0-9]{10}$/.test(digits)) {
      setProblem(words.institutionCodeInvalid);
      return;
    }
    setProblem('');
    onShow(digits).then(setShown).catch(() => setProblem(words.errorOther));
  };
  return (
    <section aria-labelledby="reception-heading">
      <h2 id="reception-heading">{words.receptionTitle}</h2>
      <p>{words.receptionExplain}</p>
      <form onSubmit={submit} noValidate>
        <label class="field">
          <span>{words.receptionInstitution}</span>
          <input type="text" inputMode="numeric" autoComplete="off" value={institution} data-testid="reception-institution"
                 aria-invalid={problem !== ''} aria-describedby="reception-problem"
                 onInput={e => setInstitution((e.target as HTMLInputElement).value)} />
        </label>
        <p id="reception-problem" class="problem" role="alert">{problem}</p>
        <button type="submit" disabled={busy} data-testid="show-reception-code">{words.receptionShow}</button>
      </form>
      {shown && (
        <p class="reception-code" aria-live="polite">
          <span>{words.receptionCode}</span>
          <strong data-testid="reception-code">{shown.code}</strong>
          {shown.expires && <span>{words.receptionExpires(formatDateTime(shown.expires, language))}</span>}
        </p>
      )}
    </section>
  );
}

/**
 * Consent for one institution, found by name or code in the gateway's institution master; before saving, what the
 * consent will do as the gateway computes it ($consent-check), with a warning when a refusal overrides it.
 */
function InstitutionConsent({ words, language, busy, onApprove, onSearch, onCheck }: {
  words: Words; language: Language; busy: boolean; onApprove: (institution: string, categories: Category[]) => void;
  onSearch: (text: string) => Promise<Institution[]>; onCheck: (institution: string) => Promise<CategoryDecisions>;
}) {
  const [text, setText] = useState('');
  const [found, setFound] = useState<Institution[] | undefined>();
  const [picked, setPicked] = useState<Institution | undefined>();
  const [chosen, setChosen] = useState<Category[]>(ITEMS);
  const [effect, setEffect] = useState<{ willSee: Category[]; hiddenByRefusal: Category[] } | undefined>();
  const [problem, setProblem] = useState('');
  const names = CATEGORY_NAMES[language];
  const list = (categories: Category[]) => categories.map(c => names[c]).join(words.listSeparator);

  // Look up as the patient types (a code typed in full is taken as it is, even if the master does not know it).
  useEffect(() => {
    const typed = text.normalize('NFKC').trim();
    setEffect(undefined);
    if (typed === '') {
      setFound(undefined);
      return;
    }
    const timer = setTimeout(() => onSearch(typed).then(institutions => {
      const exact = /^[0-9]{10}$/.test(typed) && !institutions.some(i => i.code === typed)
        ? [{ code: typed, name: words.institutionWithCode(typed), connected: false }, ...institutions] : institutions;
      setFound(exact);
      setPicked(exact.length === 1 ? exact[0] : undefined);
    }, () => setProblem(words.errorGateway)), 250);
    return () => clearTimeout(timer);
  }, [text]);

  const preview = (e: Event) => {
    e.preventDefault();
    if (!picked) {
      setProblem(words.chooseInstitution);
      return;
    }
    if (chosen.length === 0) {
      setProblem(words.chooseAtLeastOne);
      return;
    }
    setProblem('');
    onCheck(picked.code).then(now => setEffect(effectOf(now, chosen)), () => setProblem(words.errorGateway));
  };
  const save = () => {
    onApprove(picked!.code, chosen);
    setText('');
    setPicked(undefined);
    setEffect(undefined);
  };
  return (
    <section aria-labelledby="institution-heading">
      <h2 id="institution-heading">{words.institutionTitle}</h2>
      <p>{words.institutionExplain}</p>
      <form onSubmit={preview} noValidate>
        <label class="field">
          <span>{words.institutionCode}</span>
          <input type="search" autoComplete="off" value={text} data-testid="institution-search" aria-invalid={problem !== ''}
                 aria-describedby="institution-problem" onInput={e => setText((e.target as HTMLInputElement).value)} />
        </label>
        {found && (found.length === 0 ? <p class="empty">{words.institutionNoMatch}</p> : (
          <fieldset class="institutions" data-testid="institution-results">
            <legend>{words.institutionResults}</legend>
            {found.map(i => (
              <label key={i.code} class="option" data-code={i.code}>
                <input type="radio" name="institution" checked={picked?.code === i.code}
                       onChange={() => { setPicked(i); setEffect(undefined); }} />
                {i.name} <span class="item-meta">{i.code}</span>
              </label>
            ))}
          </fieldset>
        ))}
        <fieldset class="categories">
          {CATEGORIES.filter(c => c !== 'referral-letter').map(c => (
            <label key={c} class="option">
              <input type="checkbox" checked={chosen.includes(c)}
                     onChange={() => { setChosen(chosen.includes(c) ? chosen.filter(x => x !== c) : [...chosen, c]); setEffect(undefined); }} />
              {names[c]}
            </label>
          ))}
        </fieldset>
        <p id="institution-problem" class="problem" role="alert">{problem}</p>
        <button type="submit" class="secondary" disabled={busy} data-testid="preview-consent">{words.previewEffect}</button>
      </form>
      {effect && picked && (
        <div class="effect" data-testid="consent-effect" aria-live="polite">
          <p>{effect.willSee.length > 0 ? words.effectWillSee(picked.name, list(effect.willSee)) : words.effectSeesNothing(picked.name)}</p>
          {effect.hiddenByRefusal.length > 0 && (
            <p class="warning" role="alert" data-testid="refusal-warning">
              {words.effectHidden(list(effect.hiddenByRefusal))} {words.effectRefusalWarning}
            </p>
          )}
          <button type="button" disabled={busy} data-testid="save-institution-consent" onClick={save}>{words.approveInstitution}</button>
        </div>
      )}
    </section>
  );
}
