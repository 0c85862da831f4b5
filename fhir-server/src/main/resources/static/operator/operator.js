// The operator's oversight page: reads $access-signals and $consent-statistics with the operator's
// bearer token. The token lives in this closure only (never storage, never a cookie); every value
// shown is set as text, never as HTML.
(function () {
  const base = new URL('../fhir/', document.baseURI);
  const form = document.getElementById('sign-in');
  const status = document.getElementById('status');
  const month = document.getElementById('month');
  const now = new Date();
  month.value = now.toISOString().slice(0, 7);

  async function get(path, token) {
    const response = await fetch(new URL(path, base), {
      headers: { 'Authorization': 'Bearer ' + token, 'Accept': 'application/fhir+json' }
    });
    const body = await response.json();
    if (!response.ok) {
      const issue = body.issue && body.issue[0];
      throw new Error(response.status + ': ' + ((issue && (issue.diagnostics || (issue.details && issue.details.text))) || 'refused'));
    }
    return body;
  }

  function cell(row, text) {
    const td = document.createElement('td');
    td.textContent = text;
    row.appendChild(td);
  }

  function part(parameter, name) {
    return (parameter.part || []).filter(p => p.name === name);
  }

  function showSignals(parameters) {
    const body = document.querySelector('#signals tbody');
    body.replaceChildren();
    (parameters.parameter || []).filter(p => p.name === 'signal').forEach(signal => {
      const row = document.createElement('tr');
      const period = part(signal, 'period')[0].valuePeriod || {};
      cell(row, part(signal, 'kind')[0].valueCoding.code);
      cell(row, part(signal, 'caller')[0].valueString);
      cell(row, period.start || '');
      cell(row, period.end || '');
      cell(row, String(part(signal, 'patients')[0].valueInteger));
      cell(row, part(signal, 'description')[0].valueString);
      cell(row, part(signal, 'evidence').map(e => e.valueReference.reference).join(' '));
      body.appendChild(row);
    });
    if (!body.children.length) {
      const row = document.createElement('tr');
      cell(row, 'No signals in this period');
      body.appendChild(row);
    }
  }

  function count(stratifier, code) {
    const stratum = (stratifier.stratum || []).find(s => s.value.coding[0].code === code);
    return stratum ? stratum.population[0].count : 0;
  }

  function showStatistics(report) {
    const body = document.querySelector('#statistics tbody');
    body.replaceChildren();
    (report.group || []).forEach(group => {
      const row = document.createElement('tr');
      const [scope, category] = group.stratifier;
      cell(row, group.code.coding[0].code);
      cell(row, String(group.population[0].count));
      cell(row, String(count(scope, 'comprehensive')));
      cell(row, String(count(scope, 'item-by-item')));
      cell(row, (category.stratum || []).map(s => s.value.coding[0].code + ' ' + s.population[0].count).join(', '));
      body.appendChild(row);
    });
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const token = document.getElementById('token').value.trim();
    const since = document.getElementById('since').value;
    status.textContent = 'Loading…';
    try {
      const query = since ? '$access-signals?since=' + encodeURIComponent(new Date(since).toISOString()) : '$access-signals';
      showSignals(await get(query, token));
      showStatistics(await get('$consent-statistics?month=' + encodeURIComponent(month.value), token));
      status.textContent = '';
    } catch (e) {
      status.textContent = e.message;
    }
  });
})();
