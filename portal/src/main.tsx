import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type Client from 'fhirclient/lib/Client';
import './styles.css';
import { Category, Resource } from './fhir';
import { Language, WORDS, formatDate } from './i18n';
import {
  Everything, PortalError, Problem, createConsent, hasSession, loadEverything, problemOf, referralsAwaitingConsent, signIn, signOut,
  issueConsentCode, signedIn, updateConsent, findInstitutions, consentCheck, readDocument,
} from './gateway';
import { arrange } from './records';
import { Choice, ConsentView, consentResource, inForce, replaceGeneralDecision, revoked } from './consents';
import { accessOf } from './accessLog';
import { directory } from './institutions';
import { ConsentPanel, PendingReferral } from './components/ConsentPanel';
import { RecordsView } from './components/RecordsView';
import { AccessHistory } from './components/AccessHistory';

type Tab = 'consent' | 'records' | 'history';
type Phase = { kind: 'fonts' } | { kind: 'landing' } | { kind: 'signing-in' } | { kind: 'ready' } | { kind: 'failed'; problem: Problem };

/** Names are shown only in the portal's own font, once it is loaded: never as tofu or a black circle. */
const NAME_FONT = '"Noto Sans CJK JP"';

type Person = Resource & { name?: { text?: string; family?: string; given?: string[] }[] };

function nameOf(person: Person): string {
  const name = person.name?.[0];
  return name?.text ?? [name?.family, ...(name?.given ?? [])].filter(Boolean).join(' ');
}

function initialLanguage(): Language {
  const saved = localStorage.getItem('portal-language');
  return saved === 'en' || saved === 'ja' ? saved : 'ja';
}

function App() {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const [phase, setPhase] = useState<Phase>({ kind: 'fonts' });
  const [client, setClient] = useState<Client>();
  const [data, setData] = useState<Everything>();
  const [referrals, setReferrals] = useState<PendingReferral[]>([]);
  const [tab, setTab] = useState<Tab>('consent');
  const [notice, setNotice] = useState<{ text: string; problem: boolean }>();
  const [busy, setBusy] = useState(false);
  const words = WORDS[language];

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = words.appName;
    localStorage.setItem('portal-language', language);
  }, [language]);

  // The font first: the slice(s) the landing page draws (a few hundred kB at most), so that nothing is ever drawn
  // in a font that lacks it. Names load their own slices before they are shown (see reload).
  useEffect(() => {
    const ready = Promise.race([
      document.fonts.load(`1em ${NAME_FONT}`, words.appName + words.appTagline + words.signIn),
      new Promise(resolve => setTimeout(resolve, 10000)),
    ]);
    ready.finally(() => (hasSession() ? start() : setPhase({ kind: 'landing' })));
  }, []);

  async function start() {
    setPhase({ kind: 'signing-in' });
    try {
      const signed = await signedIn();
      setClient(signed);
      await reload(signed);
      setPhase({ kind: 'ready' });
    } catch (error) {
      setPhase({ kind: 'failed', problem: problemOf(error) });
    }
  }

  async function reload(using: Client = client!) {
    // Both before either is shown: a consent and the letters it releases appear together.
    const [everything, letters] = await Promise.all([loadEverything(using), referralsAwaitingConsent(using)]);
    // Every character of the name (𠮷, 髙, 葛󠄀 ...) from the portal's font: its slices before it is shown.
    await Promise.race([document.fonts.load(`1em ${NAME_FONT}`, nameOf(everything.person)), new Promise(resolve => setTimeout(resolve, 10000))]);
    setData(everything);
    setReferrals(letters);
  }

  /**
   * Runs a change, reloads what the gateway now holds, and says how it went, truthfully: a change that was stored is
   * never reported as failed (even if showing the new state then fails), and after a failure whose outcome is unknown
   * (the answer was lost) the patient is told to look at the list, which is reloaded from the gateway.
   */
  async function change(work: () => Promise<unknown>, done: string) {
    setBusy(true);
    setNotice(undefined);
    try {
      try {
        await work();
      } catch (error) {
        const problem = problemOf(error);
        if (problem === 'session') {
          // Refused before anything was stored (the gateway checks the token first): sign in again, nothing saved.
          setPhase({ kind: 'failed', problem });
          return;
        }
        // A refusal stored nothing; a lost answer may have been stored: show what the gateway holds now.
        const known = problem === 'denied';
        const reloaded = await reload().then(() => true, () => false);
        setNotice({ text: known ? message(problem) : `${message(problem)} ${reloaded ? words.checkTheList : ''}`.trim(), problem: true });
        return;
      }
      const reloaded = await reload().then(() => true, () => false);
      setNotice({ text: reloaded ? done : `${done} ${words.notRefreshed}`, problem: false });
    } finally {
      setBusy(false);
    }
  }

  const message = (problem: Problem) => ({
    session: words.errorSession, gateway: words.errorGateway, denied: words.errorDenied, 'sign-in': words.errorSignIn,
    'not-linked': words.errorNotLinked, other: words.errorOther,
  })[problem];

  const consents: ConsentView[] = useMemo(() => (data ? inForce(data.consents) : []), [data]);
  const accesses = useMemo(() => (data ? data.accessLog.map(accessOf) : []), [data]);
  const names = useMemo(() => directory(accesses), [accesses]);
  const records = useMemo(() => (data ? arrange(data.clinical) : undefined), [data]);

  const decide = (choices: Record<Category, Choice>) => change(async () => {
    const plan = replaceGeneralDecision(consents, choices);
    for (const draft of plan.create) {
      await createConsent(client!, consentResource(data!.patient, draft));
    }
    for (const old of plan.revoke) {
      await updateConsent(client!, revoked(old.resource));
    }
  }, words.saved);
  const approveInstitution = (institution: string, categories: Category[]) => change(
    () => createConsent(client!, consentResource(data!.patient, { effect: 'permit', institution, categories })), words.saved);
  const approveReferral = (referral: PendingReferral) => change(
    () => createConsent(client!, consentResource(data!.patient, { effect: 'permit', institution: referral.to, categories: ['referral-letter'] })),
    words.saved);
  const revoke = (view: ConsentView) => change(() => updateConsent(client!, revoked(view.resource)), words.revoked);

  const languageSwitch = (
    <button type="button" class="language" lang={language === 'ja' ? 'en' : 'ja'} aria-label={words.languageLabel}
            onClick={() => setLanguage(language === 'ja' ? 'en' : 'ja')}>{words.language}</button>
  );

  if (phase.kind === 'fonts' || phase.kind === 'signing-in') {
    return <main class="centered" aria-busy="true"><div class="spinner" role="progressbar" aria-label={words.loading} /></main>;
  }
  if (phase.kind === 'landing') {
    return (
      <main class="centered landing" id="content">
        <div class="corner">{languageSwitch}</div>
        <h1>{words.appName}</h1>
        <p>{words.appTagline}</p>
        <button type="button" class="primary" data-testid="sign-in" onClick={() => signIn().catch(e => setPhase({ kind: 'failed', problem: problemOf(e) }))}>
          {words.signIn}
        </button>
      </main>
    );
  }
  if (phase.kind === 'failed') {
    return (
      <main class="centered" id="content">
        <div class="corner">{languageSwitch}</div>
        <h1>{words.appName}</h1>
        <p class="problem-message" role="alert" data-testid="problem" data-problem={phase.problem}>{message(phase.problem)}</p>
        <button type="button" class="primary" data-testid="recover" onClick={() => {
          // The gateway was unreachable: try again with the session there is. Anything else: a clean new sign-in.
          if (phase.problem === 'gateway' && hasSession()) {
            start();
          } else {
            signIn().catch(e => setPhase({ kind: 'failed', problem: problemOf(e) }));
          }
        }}>{phase.problem === 'gateway' ? words.retry : words.signIn}</button>
      </main>
    );
  }

  const person = data!.person as Resource & { birthDate?: string };
  const displayName = nameOf(person);
  const tabs: [Tab, string][] = [['consent', words.tabConsent], ['records', words.tabRecords], ['history', words.tabHistory]];

  return (
    <>
      <a class="skip" href="#content">{words.skipToContent}</a>
      <header class="top">
        <div class="brand">{words.appName}</div>
        <div class="person">
          <span class="person-name" data-testid="patient-name">{displayName}</span>
          {person.birthDate && <span class="birth">{words.birthDate}: {formatDate(person.birthDate, language)}</span>}
        </div>
        <div class="actions">
          {languageSwitch}
          <button type="button" class="secondary" data-testid="sign-out" onClick={() => void signOut(client)}>{words.signOut}</button>
        </div>
      </header>
      <nav class="tabs" aria-label={words.appName}>
        {tabs.map(([id, label]) => (
          <button key={id} type="button" class="tab" data-tab={id} aria-current={tab === id ? 'page' : undefined}
                  onClick={() => { setTab(id); setNotice(undefined); }}>{label}</button>
        ))}
      </nav>
      <main id="content" tabIndex={-1}>
        <p class={notice?.problem ? 'notice problem-message' : 'notice'} role="status" aria-live="polite" data-testid="notice">
          {notice?.text ?? ''}
        </p>
        {tab === 'consent' && (
          <ConsentPanel consents={consents} referrals={referrals} words={words} language={language} names={names} busy={busy}
                        onDecide={decide} onApproveInstitution={approveInstitution} onApproveReferral={approveReferral}
                        onRevoke={revoke} onReceptionCode={institution => issueConsentCode(client!, institution)}
                        onSearchInstitutions={text => findInstitutions(client!, text)}
                        onCheckConsent={institution => consentCheck(client!, institution)} />
        )}
        {tab === 'records' && records && <RecordsView records={records} words={words} language={language} names={names}
                                                      onOpenCheckup={url => readDocument(client!, url)} />}
        {tab === 'history' && <AccessHistory accesses={accesses} words={words} language={language} names={names}
          consents={consents} onRevoke={revoke} />}
      </main>
    </>
  );
}

window.addEventListener('unhandledrejection', event => {
  // Nothing the portal does may end as a blank page: a stray failure is reported like any other.
  if (event.reason instanceof PortalError) {
    event.preventDefault();
  }
});

render(<App />, document.getElementById('app')!);
