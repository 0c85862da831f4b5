// The portal end to end, in real headless Chromium, against the real gateway and Keycloak (started by
// fhir-server's PortalInTheBrowserTest, which passes where they are). A patient signs in through the SMART
// standalone launch, sees their items and a lab chart, refuses, then consents item by item, revokes; an
// institution's reads follow each decision; the access history shows the institution's reads; the name with 𠮷
// is drawn from the portal's own font; the checkup report opens to its results; a period narrows prescriptions and
// lab results; Keycloak's pages wear the portal's font and colours, and signing out asks nothing. Screenshots of each screen go to SCREENSHOTS for review.
// Exits non-zero with the step that failed.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const env = name => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
};
const PORTAL = env('PORTAL_URL');
const FHIR = env('FHIR_BASE');
const PATIENT = env('PATIENT_ID');
const SCREENSHOTS = env('SCREENSHOTS');
const READER = { code: env('READER_CODE'), clientId: env('READER_CLIENT_ID'), secret: env('READER_SECRET'), tokenEndpoint: env('TOKEN_ENDPOINT') };
const INSURER = { number: env('INSURER_NUMBER'), clientId: env('INSURER_CLIENT_ID'), secret: env('INSURER_SECRET') };
const PORTAL_TOKEN_SECONDS = Number(env('PORTAL_TOKEN_SECONDS'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * Every access the test's institution and insurer make, oldest first, as the patient's history must state it:
 * who, why, and what was returned ('shown' with counts per category, 'nothing', 'count-only', 'refused'; a consent
 * the institution recorded is 'changed'). Checks that read nothing ($consent-check) are not in it.
 */
const accesses = [];
mkdirSync(SCREENSHOTS, { recursive: true });

let step = 'starting';
const check = (condition, what) => {
  if (!condition) {
    throw new Error(`${step}: ${what}`);
  }
};

/** The reading institution's token (client credentials), and how many lab results it finds for the patient now. */
async function readerToken(scope = 'system/*.rs', client = READER) {
  const response = await fetch(READER.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: 'Basic ' + Buffer.from(`${client.clientId}:${client.secret}`).toString('base64') },
    body: 'grant_type=client_credentials&scope=' + encodeURIComponent(scope),
  });
  check(response.ok, `the institution gets a token (HTTP ${response.status})`);
  return (await response.json()).access_token;
}

async function institutionSeesLabResults(token, purpose = 'TREAT') {
  const response = await fetch(`${FHIR}/Observation?patient=Patient/${PATIENT}&_summary=count`,
    { headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' } });
  check(response.status === 200, `the institution's search is answered (HTTP ${response.status})`);
  const total = (await response.json()).total;
  accesses.push({ who: READER.code, purpose, returned: total > 0 ? 'count-only' : 'nothing', counts: '' });
  return total;
}

/** A GET by the institution (or insurer) with its token: the status and, if 200, the answer. */
async function get(token, query) {
  const response = await fetch(`${FHIR}/${query}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' } });
  return { status: response.status, body: response.status === 200 ? await response.json() : undefined };
}

/** The institution records, for itself, the consent the patient gives at its reception, with the code the patient shows. */
async function recordConsentAtReception(token, code) {
  const consent = {
    resourceType: 'Consent', meta: { profile: ['http://clinsgateway.jp/fhir/StructureDefinition/patient-consent'] },
    ...(code ? { extension: [{ url: 'http://clinsgateway.jp/fhir/StructureDefinition/one-time-consent-code', valueString: code }] } : {}),
    status: 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'INFA' }] }],
    patient: { reference: `Patient/${PATIENT}` }, dateTime: new Date().toISOString(),
    policy: [{ uri: 'http://clinsgateway.jp/fhir/ImplementationGuide/clins-gateway' }],
    provision: { type: 'permit', period: { start: new Date(Date.now() - 60000).toISOString() },
      actor: [{ role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP' }] },
        reference: { identifier: { system: 'http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no', value: READER.code } } }],
      code: [{ coding: [{ system: 'http://clinsgateway.jp/fhir/CodeSystem/share-category', code: 'lab-result' }] }] },
  };
  const response = await fetch(`${FHIR}/Consent`, { method: 'POST', body: JSON.stringify(consent),
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' } });
  return response.status;
}

const shot = (page, name, options = {}) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, ...options });

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-sync'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'ja-JP' });
  const page = await context.newPage();
  page.on('pageerror', error => console.error('page error:', error.message));
  const token = await readerToken();

  step = 'an institution reads before any decision (its read goes into the access log)';
  const before = await institutionSeesLabResults(token);
  console.log(`${step}: ${before} lab results`);
  step = 'the same institution reads in an emergency, declared in its token, after stating the reason ($break-glass)';
  const emergencyToken = await readerToken('system/*.rs purpose/ETREAT');
  const opened = await fetch(`${FHIR}/$break-glass`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${emergencyToken}`, 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' },
    body: JSON.stringify({ resourceType: 'Parameters', parameter: [
      { name: 'patient', valueReference: { reference: `Patient/${PATIENT}` } },
      { name: 'reason', valueCoding: { system: 'http://clinsgateway.jp/fhir/CodeSystem/emergency-reason', code: 'patient-cannot-consent' } },
      { name: 'text', valueString: '意識障害で救急搬送' }] }),
  });
  check(opened.status === 200, `the emergency window opens (HTTP ${opened.status})`);
  const emergencyReads = await institutionSeesLabResults(emergencyToken, 'ETREAT');
  console.log(`${step}: ${emergencyReads} lab results`);

  step = 'a first visit on a phone link (10 Mbit/s, 40 ms): under 1.5 MB, interactive within 3 s';
  {
    const fresh = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
    const phone = await fresh.newPage();
    const network = await fresh.newCDPSession(phone);
    await network.send('Network.enable');
    await network.send('Network.setCacheDisabled', { cacheDisabled: true });
    await network.send('Network.emulateNetworkConditions', { offline: false, latency: 40,
      downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 });
    let bytes = 0;
    const requests = [];
    network.on('Network.responseReceived', e => requests.push(e.response.url));
    network.on('Network.loadingFinished', e => { bytes += e.encodedDataLength; });
    const started = Date.now();
    await phone.goto(PORTAL);
    await phone.getByTestId('sign-in').waitFor();
    const interactive = (Date.now() - started) / 1000;
    await phone.waitForLoadState('networkidle');
    const fonts = requests.filter(url => url.endsWith('.woff2')).length;
    console.log(`first visit: ${(bytes / 1e6).toFixed(2)} MB in ${requests.length} requests (${fonts} font slices), interactive in ${interactive.toFixed(2)} s`
      + ' on a simulated 10 Mbit/s, 40 ms link');
    await shot(phone, '00-first-visit-phone');
    check(bytes < 1.5e6, `under 1.5 MB (${bytes} bytes)`);
    check(interactive < 3, `interactive within 3 s (${interactive} s)`);
    check(!requests.some(url => url.endsWith('.woff')), 'no whole-font download');
    await fresh.close();
  }

  step = 'the patient opens the portal';
  await page.goto(PORTAL);
  await page.getByTestId('sign-in').waitFor();
  await shot(page, '01-landing');

  step = 'the patient signs in at Keycloak (authorization code + PKCE)';
  await page.getByTestId('sign-in').click();
  await page.locator('#username').waitFor({ timeout: 30000 });
  await shot(page, '02-keycloak-sign-in');
  step = "Keycloak's sign-in page looks like the portal: its font, its colours, its name drawn from the shipped font";
  {
    const look = await page.evaluate(async () => {
      await document.fonts.ready;
      const style = selector => getComputedStyle(document.querySelector(selector));
      return {
        sheets: [...document.styleSheets].map(s => s.href ?? ''),
        bodyFont: style('body').fontFamily, inputFont: style('#username').fontFamily, background: style('body').backgroundColor,
        header: document.querySelector('#kc-header-wrapper')?.textContent?.trim(), headerColour: style('#kc-header-wrapper').color,
        button: style('#kc-login').backgroundColor,
      };
    });
    console.log(`${step}: ${JSON.stringify({ ...look, sheets: look.sheets.filter(h => /clins-portal/.test(h)) })}`);
    check(look.sheets.some(h => /\/login\/clins-portal\/css\/clins-portal\.css$/.test(h))
      && look.sheets.some(h => /\/login\/clins-portal\/fonts\/noto-sans-cjk-jp\.css$/.test(h)), 'the portal theme and its font are loaded');
    check(/^"Noto Sans CJK JP"/.test(look.bodyFont) && /^"Noto Sans CJK JP"/.test(look.inputFont), `the portal's font (${look.bodyFont})`);
    check(look.button === 'rgb(11, 92, 173)' && look.headerColour === 'rgb(11, 92, 173)', `the portal's accent colour (${look.button})`);
    check(look.background === 'rgb(243, 245, 248)', `the portal's page colour (${look.background})`);
    check(look.header === 'わたしの医療情報', `the header names the portal (${look.header})`);
    const keycloakPage = await context.newCDPSession(page);
    await keycloakPage.send('DOM.enable');
    await keycloakPage.send('CSS.enable');
    const { root: kcRoot } = await keycloakPage.send('DOM.getDocument');
    for (const selector of ['#kc-header-wrapper', '#kc-page-title']) {
      const { nodeId: kcNode } = await keycloakPage.send('DOM.querySelector', { nodeId: kcRoot.nodeId, selector });
      const { fonts: kcFonts } = await keycloakPage.send('CSS.getPlatformFontsForNode', { nodeId: kcNode });
      check(kcFonts.length >= 1 && kcFonts.every(f => f.postScriptName === 'NotoSansCJKjp-Regular' && f.isCustomFont),
        `${selector} is drawn only in the shipped font: ${JSON.stringify(kcFonts)}`);
    }
    await keycloakPage.detach();
  }
  await page.fill('#username', env('PATIENT_USER'));
  await page.fill('#password', env('PATIENT_PASSWORD'));
  await page.click('#kc-login');
  await page.getByTestId('patient-name').waitFor({ timeout: 60000 });
  check(new URL(page.url()).search === '', 'the code and state are gone from the address');

  step = "the patient's insurer searches their diagnoses and is shown none (insurers never see diagnoses)";
  const insurerToken = await readerToken('system/*.rs', INSURER);
  const insurerSearch = await get(insurerToken, `Condition?patient=Patient/${PATIENT}`);
  check(insurerSearch.status === 200 && (insurerSearch.body.entry ?? []).length === 0, `answered, empty (${insurerSearch.status})`);
  accesses.push({ who: INSURER.number, purpose: 'HPRGRP', returned: 'nothing', counts: '' });
  step = 'the institution asks $consent-check about itself: a check that reads nothing';
  check((await get(token, `$consent-check?patient=Patient/${PATIENT}`)).status === 200, 'answered');

  step = 'the first screen asks, with "do not agree" as visible as "agree"';
  const agree = await page.getByTestId('consent-all').boundingBox();
  const refuse = await page.getByTestId('refuse-all').boundingBox();
  check(agree && refuse && Math.abs(agree.width - refuse.width) < 2 && Math.abs(agree.height - refuse.height) < 2,
    `both buttons the same size (${JSON.stringify(agree)} vs ${JSON.stringify(refuse)})`);
  await shot(page, '03-consent-first-screen');

  step = 'the name with 𠮷 is drawn from the portal font, every glyph';
  const name = page.getByTestId('patient-name');
  const text = await name.textContent();
  check(text.includes('𠮷田'), `the name is shown exactly (${text})`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '[data-testid="patient-name"]' });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  console.log(`${step}: ${JSON.stringify(fonts)}`);
  // One entry per slice of the font that draws part of the name: every one the shipped font, together every glyph.
  check(fonts.length >= 1 && fonts.every(f => f.postScriptName === 'NotoSansCJKjp-Regular' && f.isCustomFont),
    `only the shipped font renders the name: ${JSON.stringify(fonts)}`);
  const glyphCount = fonts.reduce((sum, f) => sum + f.glyphCount, 0);
  check(glyphCount === [...text].length, `a glyph for every character (${glyphCount} for ${[...text].length})`);
  const glyphs = await page.evaluate(async () => {
    await document.fonts.load('80px "Noto Sans CJK JP"', '𠮷吉葛\u{E0100}髙');
    // The same font draws 𠮷 (U+20BB7), 吉 (its common look-alike) and a code point no font has: three different pictures.
    const draw = text => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 96;
      const g = canvas.getContext('2d');
      g.font = '80px "Noto Sans CJK JP"';
      g.fillText(text, 8, 80);
      return Array.from(g.getImageData(0, 0, 96, 96).data).join(',');
    };
    return { yoshi: draw('𠮷'), kichi: draw('吉'), none: draw('\u{10FFFD}'), kuzuIvs: draw('葛\u{E0100}'), kuzu: draw('葛') };
  });
  check(glyphs.yoshi !== glyphs.kichi && glyphs.yoshi !== glyphs.none, '𠮷 is its own glyph: neither 吉 nor a missing-glyph box');
  check(glyphs.kuzuIvs !== glyphs.kuzu && glyphs.kuzuIvs !== glyphs.none, '葛 with its variation selector is drawn as that variant');
  await name.evaluate(element => { element.style.fontSize = '72px'; });
  await name.screenshot({ path: path.join(SCREENSHOTS, '04-name-with-non-bmp-kanji.png') });
  await name.evaluate(element => { element.style.fontSize = ''; });

  step = 'the patient sees their items and a lab chart';
  await page.locator('[data-tab="records"]').click();
  await page.getByTestId('diagnoses').waitFor();
  check(await page.getByTestId('diagnoses').locator('li').count() > 0, 'diagnoses are listed');
  const diabetes = page.getByTestId('diagnoses').locator('li', { hasText: '2型糖尿病' });
  check(await diabetes.count() === 1, 'the same diagnosis from two institutions is listed once');
  check((await diabetes.textContent()).includes('からも同じ傷病名が届いています'), `saying who else sent it (${await diabetes.textContent()})`);
  check((await diabetes.textContent()).includes('発症日'), 'its date labelled as the onset');
  check(await page.getByTestId('allergies').locator('li').count() > 0, 'allergies and contraindications are listed first');
  const chart = page.getByTestId('lab-charts').locator('figure').first();
  check(await chart.locator('circle').count() >= 3, 'the first chart shows a test over three dates');
  check(await chart.locator('rect.range-band').count() === 1, 'the reference range is drawn');
  check(await chart.locator('circle.out').count() > 0, 'results outside the range are marked');
  await shot(page, '05-records');

  step = 'the patient opens the checkup report and reads its results, with reference ranges and values out of range marked';
  const checkup = page.getByTestId('checkups').locator('li').first();
  await checkup.getByTestId('open-checkup').click();
  const results = checkup.getByTestId('checkup-results');
  await results.waitFor({ timeout: 30000 });
  const sections = await results.getByTestId('checkup-section').locator('caption').allTextContents();
  check(sections.includes('特定健診検査結果'), `grouped by the report's sections (${sections})`);
  const resultRows = await results.getByTestId('checkup-row').evaluateAll(trs => trs.map(tr => ({
    name: tr.querySelector('.checkup-item')?.textContent, value: tr.querySelector('.checkup-value')?.textContent,
    range: tr.querySelector('.checkup-range')?.textContent, flag: tr.dataset.flag ?? '' })));
  console.log(`${step}: ${resultRows.length} results, ${resultRows.filter(r => r.flag).length} out of range`);
  check(resultRows.length >= 10, `the results are listed (${resultRows.length})`);
  const bmi = resultRows.find(r => r.name === 'BMI');
  check(bmi && bmi.value.startsWith('26.1 kg/m2') && bmi.range === '18.5–24.9 kg/m2', `a value with its unit and range (${JSON.stringify(bmi)})`);
  check(bmi.flag === 'high' && bmi.value.includes('高値'), `a value above its range is marked, in words (${JSON.stringify(bmi)})`);
  const hdl = resultRows.find(r => r.name === 'HDLコレステロール');
  check(hdl && hdl.flag === '' && hdl.range !== '', `a value within its range is not marked (${JSON.stringify(hdl)})`);
  await results.scrollIntoViewIfNeeded();
  await shot(page, '05a-checkup-results');
  await checkup.getByTestId('open-checkup').click();
  await results.waitFor({ state: 'detached' });

  step = 'the patient narrows prescriptions and lab results to a period, then clears it';
  const prescriptionsAll = await page.getByTestId('prescriptions').locator('li').count();
  const pointsOf = () => page.getByTestId('lab-charts').locator('figure').evaluateAll(figures => figures.map(f => f.querySelectorAll('circle').length));
  const pointsAll = await pointsOf();
  check(prescriptionsAll > 0 && pointsAll[0] >= 3, `before: ${prescriptionsAll} prescriptions, charts ${pointsAll}`);
  await page.getByTestId('date-from').fill('2026-07-01');
  await page.getByTestId('date-to').fill('2026-09-30');
  await page.getByTestId('prescriptions').waitFor({ state: 'detached' });
  const summer = await pointsOf();
  check(summer.length > 0 && summer.every(n => n === 1), `only the July results remain in the charts (${summer})`);
  const summerDates = await page.getByTestId('lab-charts').locator('table.lab-values tbody td:first-child').allTextContents();
  check(summerDates.every(d => d === '2026年7月14日'), `each in the period (${[...new Set(summerDates)]})`);
  check((await page.locator('#prescriptions-heading + p.empty').textContent()).includes('指定した期間の記録はありません'),
    'no prescription in the period, said so');
  await shot(page, '05b-records-in-a-period');
  await page.getByTestId('date-from').fill('2026-10-01');
  await page.getByTestId('date-to').fill('2026-10-31');
  await page.getByTestId('prescriptions').waitFor();
  check(await page.getByTestId('prescriptions').locator('li').count() === prescriptionsAll, 'the October prescriptions are back');
  check((await pointsOf()).every(n => n === 1), 'and only the October results');
  await page.getByTestId('date-reset').click();
  check(await page.getByTestId('date-from').inputValue() === '' && await page.getByTestId('date-to').inputValue() === '', 'the dates are cleared');
  check(JSON.stringify(await pointsOf()) === JSON.stringify(pointsAll), `clearing brings every result back (${await pointsOf()})`);
  check(await page.getByTestId('prescriptions').locator('li').count() === prescriptionsAll, 'and every prescription');

  step = 'the patient refuses all sharing';
  await page.locator('[data-tab="consent"]').click();
  await page.getByTestId('refuse-all').click();
  await page.locator('[data-testid="current-decision"][data-decision="all-deny"]').waitFor();
  await shot(page, '06-refused');
  check(await institutionSeesLabResults(token) === 0, 'after the refusal, the institution sees no lab result');

  step = 'the patient consents item by item: lab results yes, everything else no';
  await page.getByTestId('choose-items').click();
  for (const fieldset of await page.locator('fieldset.choice').all()) {
    const category = await fieldset.getAttribute('data-category');
    await fieldset.locator(`input[value="${category === 'lab-result' ? 'permit' : 'deny'}"]`).check();
  }
  await shot(page, '07-item-by-item');
  await page.getByTestId('save-items').click();
  await page.locator('[data-testid="current-decision"][data-decision="items"]').waitFor();
  const permit = page.locator('[data-testid="active-consents"] li[data-effect="permit"][data-categories="lab-result"]');
  await permit.waitFor();
  check(await page.locator('[data-testid="active-consents"] li[data-effect="deny"]').count() === 1, 'one refusal for the rest');
  await shot(page, '08-consented-lab-results');
  const consented = await institutionSeesLabResults(token);
  check(consented > 0, `with the consent, the institution sees the lab results (${consented})`);
  step = 'the institution reads the lab results, then one of them';
  const labSearch = await get(token, `Observation?patient=Patient/${PATIENT}&_count=200`);
  const labs = (labSearch.body?.entry ?? []).map(e => e.resource);
  check(labs.length === consented, `all ${consented} shown (${labs.length})`);
  accesses.push({ who: READER.code, purpose: 'TREAT', returned: 'shown', counts: `lab-result=${labs.length}` });
  const oneLab = `Observation/${labs[0].id}`;
  check((await get(token, oneLab)).status === 200, `${oneLab} is read`);
  accesses.push({ who: READER.code, purpose: 'TREAT', returned: 'shown', counts: 'lab-result=1' });
  step = 'a session that outlives its access token: the portal refreshes it while the patient is active';
  const expiresAt = await page.evaluate(() => {
    const state = JSON.parse(sessionStorage.getItem(JSON.parse(sessionStorage.getItem('SMART_KEY'))) ?? '{}');
    return { at: state.expiresAt, refresh: Boolean(state.tokenResponse?.refresh_token), scope: state.tokenResponse?.scope };
  });
  check(expiresAt.refresh && /online_access/.test(expiresAt.scope), `a refresh token for the session (${expiresAt.scope})`);
  const wait = Math.max(0, expiresAt.at * 1000 - Date.now()) + 1000;
  console.log(`${step}: the access token lives ${PORTAL_TOKEN_SECONDS} s; waiting ${Math.round(wait / 1000)} s past its expiry`);
  await page.waitForTimeout(wait);

  step = 'the patient revokes the consent in one step';
  await permit.locator('button.revoke').click();
  await page.getByTestId('notice').filter({ hasText: '撤回しました' }).waitFor();
  check(await permit.count() === 0, 'the consent is gone from the list');
  check(await page.locator('[data-testid="problem"]').count() === 0, 'with the access token expired, the patient was not signed out');
  const refreshed = await page.evaluate(() => JSON.parse(sessionStorage.getItem(JSON.parse(sessionStorage.getItem('SMART_KEY'))) ?? '{}').expiresAt);
  check(refreshed > expiresAt.at, `the portal refreshed its access token (expires ${expiresAt.at} → ${refreshed})`);
  check(await institutionSeesLabResults(token) === 0, "the institution's next read is denied");
  check((await get(token, oneLab)).status === 404, 'reading the lab result it read before is refused');
  accesses.push({ who: READER.code, purpose: 'TREAT', returned: 'refused', counts: '' });

  step = 'the patient approves the waiting referral letter for its destination, and consents for one named institution';
  const referral = page.getByTestId('pending-referrals').locator('li').first();
  await referral.waitFor();
  await referral.locator('button').click();
  await page.locator('[data-testid="active-consents"] li[data-effect="permit"][data-categories="referral-letter"]').waitFor();
  await page.getByTestId('pending-referrals').waitFor({ state: 'detached', timeout: 10000 });
  check(await page.getByTestId('pending-referrals').count() === 0, 'no letter waits any more');
  step = 'the patient finds an institution by name, and sees what the consent will do before saving it';
  await page.getByTestId('institution-search').fill('東京中央');
  await page.locator('[data-testid="institution-results"] label[data-code="1311234567"]').waitFor();
  await page.getByTestId('preview-consent').click();
  const effect = page.getByTestId('consent-effect');
  await effect.waitFor();
  const effectText = await effect.textContent();
  console.log(`${step}: ${effectText}`);
  check(effectText.includes('東京中央病院が見られる情報:') && effectText.includes('検査結果'), `what it will see (${effectText})`);
  check(await page.getByTestId('refusal-warning').count() === 1 && effectText.includes('引き続き見られない情報: 傷病名'),
    `the refusal still in force for the other items is said to override it (${effectText})`);
  await shot(page, '09a-consent-effect');
  step = 'or by its code, typed with full-width digits as a phone keyboard may type them';
  await page.getByTestId('institution-search').fill('１３１１２３４５６７');
  await page.locator('[data-testid="institution-results"] label[data-code="1311234567"]').waitFor();
  await page.getByTestId('preview-consent').click();
  await page.getByTestId('save-institution-consent').click();
  await page.locator('[data-testid="active-consents"] li[data-effect="permit"]', { hasText: '東京中央病院' }).waitFor();
  await shot(page, '09-referral-and-institution-approved');

  step = "the patient shows a one-time code at an institution's reception, and the institution records the consent with it";
  const recorder = await readerToken('system/*.rs system/Consent.cu');
  check(await recordConsentAtReception(recorder, null) === 403, 'without the code, the institution cannot record a consent');
  await page.getByTestId('reception-institution').fill(READER.code);
  await page.getByTestId('show-reception-code').click();
  const receptionCode = (await page.getByTestId('reception-code').textContent()).trim();
  check(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(receptionCode), `a code to show at the reception (${receptionCode})`);
  await shot(page, '09b-reception-code');
  check(await recordConsentAtReception(recorder, receptionCode) === 201, 'with the code, the institution records the consent');
  accesses.push({ who: READER.code, purpose: 'TREAT', returned: 'changed', counts: '' });
  check(await recordConsentAtReception(recorder, receptionCode) === 403, 'the code works once');
  check(await institutionSeesLabResults(token) > 0, 'the consent the institution recorded takes effect');

  step = "the access history shows the institution's reads";
  await page.reload();
  await page.getByTestId('patient-name').waitFor({ timeout: 60000 });
  await page.locator('[data-tab="history"]').click();
  const rows = page.locator(`[data-testid="access-history"] tr[data-who="${READER.code}"]`);
  await rows.first().waitFor();
  step = 'the access history, row by row, is what the institution and the insurer did and what they were given';
  const shownRows = await page.locator(`[data-testid="access-history"] tr:is([data-who="${READER.code}"], [data-who="${INSURER.number}"])`)
    .evaluateAll(trs => trs.map(tr => ({ who: tr.dataset.who, purpose: tr.dataset.purpose, returned: tr.dataset.returned,
      counts: tr.dataset.counts ?? '', text: tr.textContent })));
  const expected = [...accesses].reverse();
  check(shownRows.length === expected.length, `one row per access (${shownRows.length} rows, ${expected.length} accesses): `
    + JSON.stringify(shownRows.map(r => r.returned)));
  expected.forEach((access, i) => {
    const row = shownRows[i];
    check(row.who === access.who && row.purpose === access.purpose && row.returned === access.returned && row.counts === access.counts,
      `row ${i + 1}: ${JSON.stringify(access)} but shown ${JSON.stringify(row)}`);
  });
  const said = returned => shownRows.find(r => r.returned === returned)?.text ?? '';
  check(said('nothing').includes('表示された記録はありません'), `"searched, nothing shown" is said (${said('nothing')})`);
  check(shownRows.some(r => r.who === INSURER.number && r.text.includes('傷病名を検索') && r.text.includes(env('INSURER_NAME'))),
    "the insurer's empty diagnoses search says it showed nothing");
  const labRow = shownRows.find(r => r.counts === `lab-result=${consented}`)?.text ?? '';
  check(labRow.includes(`検査結果 ${consented}件`) && labRow.includes('診療のため'), `categories and counts of what was shown (${labRow})`);
  check(said('count-only').includes('件数のみ'), `a count-only answer says no record was shown (${said('count-only')})`);
  check(said('refused').includes('拒否されました'), `the refused read (${said('refused')})`);
  const table = await page.getByTestId('access-history').textContent();
  check(!/その他|operator/i.test(table), 'every row in Japanese, the operator named as such');
  const emergencyRow = page.locator(`[data-testid="access-history"] tr.emergency[data-who="${READER.code}"][data-purpose="ETREAT"]`);
  check(await emergencyRow.count() >= 1, 'the emergency read is listed, highlighted');
  check((await emergencyRow.first().textContent()).includes('救急'), 'and says it was an emergency');
  const recordedRow = page.locator(`[data-testid="access-history"] tr[data-who="${READER.code}"][data-action="consent-recorded"]`);
  check(await recordedRow.count() === 1, 'the consent the institution recorded is in the history');
  check((await recordedRow.textContent()).includes('あなたの同意を記録しました'), `and says who recorded it (${await recordedRow.textContent()})`);
  await shot(page, '10-access-history');
  await recordedRow.getByTestId('undo-consent').click();
  await page.getByTestId('notice').filter({ hasText: '撤回しました' }).waitFor();
  check(await institutionSeesLabResults(token) === 0, 'the patient undid it from the history in one step');

  step = 'the portal speaks English too';
  await page.locator('button.language').first().click();
  await page.getByRole('heading', { name: 'Who looked at your information' }).waitFor();
  const english = await page.getByTestId('access-history').textContent();
  const japanese = ['件数', '閲覧', '拒否', '表示', 'あなた', '診療', '検索', '、'].filter(word => english.includes(word));
  check(japanese.length === 0, `no Japanese word besides names (${japanese})`);
  check(english.includes('nothing was shown') && english.includes('Lab results: '), `said in English (${english.slice(0, 300)})`);
  await shot(page, '11-access-history-english');
  await page.locator('button.language').first().click();

  step = 'on a phone-sized screen, and by keyboard alone';
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('[data-tab="consent"]').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('consent-all').waitFor();
  let focused = '';
  for (let i = 0; i < 10 && focused !== 'refuse-all'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
  }
  check(focused === 'refuse-all', '"do not agree" is reached with Tab');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="current-decision"][data-decision="all-deny"]').waitFor();
  await shot(page, '12-phone-consent');
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  check(scrollWidth <= 390, `nothing wider than the phone (${scrollWidth}px)`);
  await page.setViewportSize({ width: 1100, height: 900 });

  step = 'when the gateway is down, the patient reads a sentence, not a blank page';
  await page.route('**/fhir/**', route => route.abort('connectionrefused'));
  await page.getByTestId('consent-all').click();
  const down = page.getByTestId('notice');
  await down.filter({ hasText: 'ゲートウェイに接続できません' }).waitFor();
  await shot(page, '13-gateway-down');
  await page.unroute('**/fhir/**');

  step = 'when the gateway refuses, the patient reads that it is not allowed';
  await page.route('**/fhir/Consent**', route => route.fulfill({ status: 403, contentType: 'application/fhir+json',
    body: JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', diagnostics: 'scope' }] }) }));
  await page.getByTestId('consent-all').click();
  await page.getByTestId('notice').filter({ hasText: 'この操作は許可されていません' }).waitFor();
  await page.unroute('**/fhir/Consent**');

  step = 'when the session has expired, the patient is asked to sign in again';
  await page.route('**/fhir/**', route => route.fulfill({ status: 401, contentType: 'application/fhir+json',
    body: JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', diagnostics: 'expired' }] }) }));
  await page.getByTestId('consent-all').click();
  await page.locator('[data-testid="problem"][data-problem="session"]').waitFor();
  check((await page.getByTestId('problem').textContent()).includes('ログインの有効期限が切れました'), 'said plainly');
  await shot(page, '14-session-expired');
  await page.unroute('**/fhir/**');

  step = 'from the expired session, "sign in" signs in again cleanly, without a reload';
  await page.getByTestId('recover').click();
  await page.getByTestId('patient-name').waitFor({ timeout: 60000 });
  check(new URL(page.url()).search === '', 'back in the portal, the address clean');

  step = 'signing out ends the session at Keycloak without its confirmation page, and comes back to the portal';
  const pagesOnTheWay = [];
  const onTheWay = response => {
    if (response.request().isNavigationRequest() && response.request().frame() === page.mainFrame()) {
      pagesOnTheWay.push(`${response.status()} ${response.url()}`);
    }
  };
  page.on('response', onTheWay);
  await page.locator('header .actions button.secondary').click();
  await page.getByTestId('sign-in').waitFor({ timeout: 60000 });
  page.off('response', onTheWay);
  console.log(`${step}: ${pagesOnTheWay.map(p => p.replace(/id_token_hint=[^&]+/, 'id_token_hint=…')).join(' → ')}`);
  check(pagesOnTheWay.some(p => /\/protocol\/openid-connect\/logout\?/.test(p) && /id_token_hint=/.test(p)),
    'the sign-out went through Keycloak with the ID token as hint');
  check(!pagesOnTheWay.some(p => /^200 .*\/protocol\/openid-connect\/logout/.test(p)),
    `no page of Keycloak's own on the way (its "Do you want to log out?" would be one): ${pagesOnTheWay}`);
  check(await page.locator('#kc-logout').count() === 0, 'no confirmation button');
  check(new URL(page.url()).pathname === '/portal/', `back at the portal (${page.url()})`);
  await shot(page, '15-signed-out');
  await page.getByTestId('sign-in').click();
  await page.locator('#username').waitFor({ timeout: 30000 });
  check(true, 'the session at Keycloak is over: signing in asks for the password again');

  console.log('portal end-to-end: every step passed');
} catch (error) {
  console.error(`FAILED at "${step}": ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
