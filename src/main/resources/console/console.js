// Operator console: plain JavaScript, no dependencies. Every call goes to this origin with the operator's
// bearer token, which lives in session storage only (gone when the tab closes). Text from the service is
// put in the page with textContent, never parsed as HTML.
'use strict';

(function () {
  const TOKEN_KEY = 'orderPlatform.operatorToken';
  const REFRESH_MS = 3000;
  const WINDOW_MS = 5 * 60 * 1000;
  const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
  const CORRELATION = /^[A-Za-z0-9._:-]{1,128}$/;
  const SVG = 'http://www.w3.org/2000/svg';

  const $ = (id) => document.getElementById(id);
  let timer = null;
  let samples = []; // {t, total, processed} from successive /stats answers
  let entries = []; // the DLQ as last read
  const selected = new Set();
  let busy = false;

  class Unauthorized extends Error {}

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  /** fetch with the bearer token; JSON in and out. A 401 signs out with a clear message. */
  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json', 'Authorization': 'Bearer ' + token() };
    const init = { method, headers, cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let json = null;
    try {
      json = await response.json();
    } catch (e) {
      json = null;
    }
    if (response.status === 401) {
      signOut('The service refused the operator token (401 unauthorized). Sign in again with the value of orders.admin.token.');
      throw new Unauthorized();
    }
    return { status: response.status, json };
  }

  function errorText(result) {
    const j = result.json;
    return j && j.error ? j.error + ': ' + (j.message || '') : 'HTTP ' + result.status;
  }

  function notice(text) {
    $('notice').textContent = text || '';
    $('notice').hidden = !text;
  }

  function message(id, text, kind) {
    const el = $(id);
    el.textContent = text || '';
    el.className = 'message' + (kind ? ' ' + kind : '');
  }

  function utc(iso) {
    return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
  }

  // ---- sign in / out ----

  async function signIn(event) {
    event.preventDefault();
    const value = $('token').value.trim();
    if (!value) {
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, value);
    $('token').value = '';
    try {
      const result = await api('GET', '/stats');
      if (result.status !== 200) {
        notice('Could not read /stats: ' + errorText(result));
        return;
      }
      start();
    } catch (e) {
      if (!(e instanceof Unauthorized)) {
        notice('The service did not answer: ' + e.message);
      }
    }
  }

  function signOut(reason) {
    sessionStorage.removeItem(TOKEN_KEY);
    if (timer) {
      clearInterval(timer);
      timer = null;
    }
    samples = [];
    entries = [];
    selected.clear();
    $('console').hidden = true;
    $('signed-in').hidden = true;
    $('sign-in').hidden = false;
    notice(reason || '');
    $('token').focus();
  }

  function start() {
    notice('');
    $('sign-in').hidden = true;
    $('signed-in').hidden = false;
    $('console').hidden = false;
    refresh();
    timer = setInterval(refresh, REFRESH_MS);
  }

  async function refresh() {
    try {
      await Promise.all([refreshStats(), busy ? Promise.resolve() : refreshDlq()]);
    } catch (e) {
      if (!(e instanceof Unauthorized)) {
        notice('The service did not answer: ' + e.message);
      }
    }
  }

  // ---- overview ----

  async function refreshStats() {
    const result = await api('GET', '/stats');
    if (result.status !== 200) {
      notice('Could not read /stats: ' + errorText(result));
      return;
    }
    notice('');
    const s = result.json;
    for (const status of ['PENDING', 'PROCESSING', 'PROCESSED', 'FAILED', 'total']) {
      $('count-' + status).textContent = String(s.orders[status]);
    }
    $('outbox-backlog').textContent = String(s.outbox.backlog);
    $('outbox-oldest').textContent = s.outbox.backlog > 0 ? s.outbox.oldestAgeSeconds.toFixed(1) + ' s' : '-';
    $('dlq-size').textContent = String(s.dlq);
    $('updated').textContent = 'as of ' + utc(s.at);
    const t = Date.parse(s.at);
    samples.push({ t, total: s.orders.total, processed: s.orders.PROCESSED });
    samples = samples.filter((p) => p.t >= t - WINDOW_MS);
    drawChart();
  }

  /**
   * Rates between successive samples, drawn as two lines with a dot per sample; the y axis fits the largest
   * rate, the x axis the time collected so far (up to 5 minutes), so the chart fills from the first minute.
   */
  function drawChart() {
    const svg = $('rate-chart');
    while (svg.firstChild) {
      svg.removeChild(svg.firstChild);
    }
    const W = Math.max(300, Math.round(svg.clientWidth || 560)), H = 150, left = 40, right = 10, top = 10, bottom = 20;
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    const rates = [];
    for (let i = 1; i < samples.length; i++) {
      const dt = (samples[i].t - samples[i - 1].t) / 1000;
      if (dt > 0) {
        rates.push({
          t: samples[i].t,
          accepted: Math.max(0, samples[i].total - samples[i - 1].total) / dt,
          processed: Math.max(0, samples[i].processed - samples[i - 1].processed) / dt,
        });
      }
    }
    const max = Math.max(1, ...rates.map((r) => Math.max(r.accepted, r.processed)));
    const now = samples.length ? samples[samples.length - 1].t : Date.now();
    const span = Math.min(WINDOW_MS, Math.max(10_000, samples.length ? now - samples[0].t : 0));
    const x = (t) => left + (W - left - right) * (1 - (now - t) / span);
    const y = (v) => top + (H - top - bottom) * (1 - v / max);
    for (const v of [0, max / 2, max]) {
      line(svg, left, y(v), W - right, y(v), 'grid-line');
      text(svg, 4, y(v) + 4, v >= 10 ? v.toFixed(0) : v.toFixed(1));
    }
    text(svg, left, H - 4, span >= 60_000 ? '-' + (span / 60_000).toFixed(1) + ' min' : '-' + Math.round(span / 1000) + ' s');
    text(svg, W - right - 24, H - 4, 'now');
    for (const key of ['accepted', 'processed']) {
      if (rates.length) {
        const poly = document.createElementNS(SVG, 'polyline');
        poly.setAttribute('points', rates.map((r) => x(r.t).toFixed(1) + ',' + y(r[key]).toFixed(1)).join(' '));
        poly.setAttribute('class', 'line-' + key);
        svg.appendChild(poly);
        for (const r of rates) {
          const dot = document.createElementNS(SVG, 'circle');
          dot.setAttribute('cx', x(r.t).toFixed(1));
          dot.setAttribute('cy', y(r[key]).toFixed(1));
          dot.setAttribute('r', '2.5');
          dot.setAttribute('class', 'dot-' + key);
          svg.appendChild(dot);
        }
      }
    }
    const last = rates[rates.length - 1];
    $('rates').textContent = last
      ? '(now ' + last.accepted.toFixed(1) + ' accepted/s, ' + last.processed.toFixed(1) + ' processed/s)'
      : '(collecting)';
  }

  function line(svg, x1, y1, x2, y2, cls) {
    const l = document.createElementNS(SVG, 'line');
    l.setAttribute('x1', x1); l.setAttribute('y1', y1); l.setAttribute('x2', x2); l.setAttribute('y2', y2);
    l.setAttribute('class', cls);
    svg.appendChild(l);
  }

  function text(svg, x, y, content) {
    const t = document.createElementNS(SVG, 'text');
    t.setAttribute('x', x); t.setAttribute('y', y); t.setAttribute('class', 'axis-label');
    t.textContent = content;
    svg.appendChild(t);
  }

  // ---- dead-letter queue ----

  async function refreshDlq() {
    const result = await api('GET', '/dlq?limit=500');
    if (result.status !== 200) {
      message('dlq-message', 'Could not read the DLQ: ' + errorText(result), 'error');
      return;
    }
    entries = result.json;
    const present = new Set(entries.map((e) => e.orderId));
    for (const id of [...selected]) {
      if (!present.has(id)) {
        selected.delete(id);
      }
    }
    renderDlq();
  }

  function shownEntries() {
    const filter = $('dlq-filter').value.trim().toLowerCase();
    return filter ? entries.filter((e) => (e.reason || '').toLowerCase().includes(filter)) : entries;
  }

  function renderDlq() {
    const rows = $('dlq-rows');
    const shown = shownEntries();
    const focusedId = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.focusKey : null;
    const fresh = document.createDocumentFragment();
    for (const e of shown) {
      const tr = document.createElement('tr');
      tr.dataset.orderId = e.orderId;
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = selected.has(e.orderId);
      box.setAttribute('aria-label', 'Select order ' + e.orderId);
      box.dataset.focusKey = 'select:' + e.orderId;
      box.addEventListener('change', () => {
        if (box.checked) { selected.add(e.orderId); } else { selected.delete(e.orderId); }
        updateSelection();
      });
      cell(tr, null).appendChild(box);
      cell(tr, e.orderId, 'id');
      cell(tr, e.reason, 'reason');
      cell(tr, String(e.retryCount));
      cell(tr, utc(e.failedAt));
      cell(tr, e.correlationId, 'corr');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Reprocess';
      button.className = 'reprocess-one';
      button.setAttribute('aria-label', 'Reprocess order ' + e.orderId);
      button.dataset.focusKey = 'reprocess:' + e.orderId;
      button.addEventListener('click', () => reprocess([e.orderId]));
      cell(tr, null).appendChild(button);
      fresh.appendChild(tr);
    }
    rows.replaceChildren(fresh);
    if (focusedId) {
      const again = rows.querySelector('[data-focus-key="' + CSS.escape(focusedId) + '"]');
      if (again) {
        again.focus();
      }
    }
    $('dlq-count').textContent = shown.length === entries.length
      ? entries.length + ' entries' : shown.length + ' of ' + entries.length + ' entries shown';
    updateSelection();
  }

  function cell(tr, content, cls) {
    const td = document.createElement('td');
    if (content !== null) {
      td.textContent = content;
    }
    if (cls) {
      td.className = cls;
    }
    tr.appendChild(td);
    return td;
  }

  function updateSelection() {
    const shown = shownEntries();
    const count = shown.filter((e) => selected.has(e.orderId)).length;
    $('reprocess-selected').disabled = count === 0;
    $('reprocess-selected').textContent = count ? 'Reprocess selected (' + count + ')' : 'Reprocess selected';
    $('select-all').checked = shown.length > 0 && count === shown.length;
  }

  function confirmDialog(text) {
    return new Promise((resolve) => {
      const dialog = $('confirm');
      $('confirm-text').textContent = text;
      dialog.returnValue = '';
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.showModal();
      $('confirm-cancel').focus();
    });
  }

  /** One id: POST /dlq/{id}/reprocess; several: POST /dlq/reprocess. Rows leave the table when it worked. */
  async function reprocess(ids) {
    const what = ids.length === 1 ? 'order ' + ids[0] : ids.length + ' orders';
    if (!await confirmDialog('Send ' + what + ' back to PENDING with a fresh attempt budget?')) {
      message('dlq-message', 'Nothing reprocessed.', '');
      return;
    }
    busy = true;
    try {
      const done = [];
      const refused = [];
      if (ids.length === 1) {
        const result = await api('POST', '/dlq/' + encodeURIComponent(ids[0]) + '/reprocess');
        if (result.status === 202) {
          done.push(ids[0]);
        } else {
          refused.push(ids[0] + ': ' + explain(result.status, result.json));
        }
      } else {
        const result = await api('POST', '/dlq/reprocess', { orderIds: ids });
        if (result.status !== 200) {
          message('dlq-message', 'Reprocess refused: ' + errorText(result), 'error');
          return;
        }
        for (const r of result.json.results) {
          if (r.result === 'reprocessed') {
            done.push(r.orderId);
          } else {
            refused.push(r.orderId + ': ' + explain(r.result === 'invalid_state' ? 409 : 404, { error: r.result, message: r.message }));
          }
        }
      }
      for (const id of done) {
        selected.delete(id);
      }
      entries = entries.filter((e) => !done.includes(e.orderId));
      renderDlq();
      const parts = [];
      if (done.length) {
        parts.push('Reprocessed ' + done.length + ' order' + (done.length === 1 ? '' : 's') + ' (back to PENDING).');
      }
      if (refused.length) {
        parts.push('Not reprocessed: ' + refused.join('; '));
      }
      message('dlq-message', parts.join(' '), refused.length ? 'error' : 'ok');
    } catch (e) {
      if (!(e instanceof Unauthorized)) {
        message('dlq-message', 'The service did not answer: ' + e.message, 'error');
      }
    } finally {
      busy = false;
    }
  }

  function explain(status, json) {
    const code = json && json.error ? json.error : 'HTTP ' + status;
    if (status === 404) {
      return code + ' (no DLQ entry any more: reprocessed already or never dead-lettered)';
    }
    if (status === 409) {
      return code + ' (the order is not FAILED: another operator or worker moved it)';
    }
    return code + (json && json.message ? ' (' + json.message + ')' : '');
  }

  // ---- order lookup ----

  async function lookup(event) {
    event.preventDefault();
    const value = $('lookup-input').value.trim();
    $('order-detail').hidden = true;
    $('lookup-matches').replaceChildren();
    message('lookup-message', '', '');
    try {
      if (UUID.test(value)) {
        await showOrder(value);
        return;
      }
      if (!CORRELATION.test(value)) {
        message('lookup-message', 'Enter an order id (a UUID) or a correlation id (1-128 characters of A-Z a-z 0-9 . _ : -).', 'error');
        return;
      }
      const result = await api('GET', '/orders?correlationId=' + encodeURIComponent(value) + '&limit=50');
      if (result.status !== 200) {
        message('lookup-message', 'Lookup failed: ' + errorText(result), 'error');
        return;
      }
      const orders = result.json;
      if (orders.length === 0) {
        message('lookup-message', 'No order has correlation id ' + value + '.', 'error');
      } else if (orders.length === 1) {
        await showOrder(orders[0].orderId || orders[0].id);
      } else {
        message('lookup-message', orders.length + ' orders have correlation id ' + value + ': choose one.', '');
        const list = document.createElement('div');
        list.className = 'matches';
        for (const o of orders) {
          const id = o.orderId || o.id;
          const b = document.createElement('button');
          b.type = 'button';
          b.textContent = id + ' (' + o.status + ')';
          b.addEventListener('click', () => showOrder(id));
          list.appendChild(b);
        }
        $('lookup-matches').appendChild(list);
      }
    } catch (e) {
      if (!(e instanceof Unauthorized)) {
        message('lookup-message', 'The service did not answer: ' + e.message, 'error');
      }
    }
  }

  async function showOrder(id) {
    const [order, history] = await Promise.all([
      api('GET', '/orders/' + encodeURIComponent(id)),
      api('GET', '/orders/' + encodeURIComponent(id) + '/transitions'),
    ]);
    if (order.status !== 200) {
      message('lookup-message', 'No such order: ' + errorText(order), 'error');
      $('order-detail').hidden = true;
      return;
    }
    const o = order.json;
    $('detail-id').textContent = o.orderId || o.id;
    $('detail-status').textContent = o.status;
    $('detail-attempts').textContent = String(o.retryCount);
    $('detail-correlation').textContent = o.correlationId;
    $('detail-created').textContent = utc(o.createdAt);
    $('detail-failure').textContent = o.failureReason || '-';
    const rows = document.createDocumentFragment();
    for (const t of history.status === 200 ? history.json : []) {
      const tr = document.createElement('tr');
      cell(tr, utc(t.at));
      cell(tr, t.from || '-');
      cell(tr, t.to);
      cell(tr, String(t.attempt));
      cell(tr, t.worker || '-');
      cell(tr, t.reason || '-', 'reason');
      rows.appendChild(tr);
    }
    $('history-rows').replaceChildren(rows);
    message('lookup-message', history.status === 200 ? history.json.length + ' transitions.' : 'History unavailable: ' + errorText(history),
      history.status === 200 ? '' : 'error');
    $('order-detail').hidden = false;
  }

  // ---- wiring ----

  document.addEventListener('DOMContentLoaded', () => {
    $('sign-in').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', () => signOut(''));
    $('dlq-filter').addEventListener('input', renderDlq);
    $('dlq-refresh').addEventListener('click', () => { message('dlq-message', '', ''); refresh(); });
    $('select-all').addEventListener('change', () => {
      for (const e of shownEntries()) {
        if ($('select-all').checked) { selected.add(e.orderId); } else { selected.delete(e.orderId); }
      }
      renderDlq();
    });
    $('reprocess-selected').addEventListener('click', () => {
      const ids = shownEntries().map((e) => e.orderId).filter((id) => selected.has(id));
      if (ids.length) {
        reprocess(ids);
      }
    });
    $('lookup-form').addEventListener('submit', lookup);
    if (token()) {
      start();
    } else {
      $('token').focus();
    }
  });
}());
