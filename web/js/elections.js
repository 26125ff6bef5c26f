// The 换届 pages: the inbox of steps the user may decide (approving several at once) and her
// own requests ("#/elections"), a new plan ("#/elections/new?organisation=42",
// election_new.js), one re-election ("#/elections/7", election.js), and the oversight of a
// region's re-elections ("#/elections/oversight/210102").
import { api } from './api.js';
import { rateChart } from './chart.js';
import { el, formatTime, showMessage } from './dom.js';
import { whileBusy } from './forms.js';
import { REQUEST_KIND_NAMES, REQUEST_STATE_NAMES, STEP_MODE_NAMES, nameIn } from './labels.js';
import { renderElection } from './election.js';
import { renderNewElection } from './election_new.js';
import { breadcrumbs } from './regions.js';

const ID = /^[1-9]\d{0,17}$/;
const CODE = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;
const PAGE_SIZE = 50;

// A request's subject: a re-election, or for the coverage kinds a new organisation.
const subjectLink = (item) => (item.kind.startsWith('new_org_')
  ? el('a', { href: `#/new-organisations/${item.subject_id}` }, item.subject_name || item.organisation_name)
  : el('a', { href: `#/elections/${item.subject_id}` }, item.organisation_name));

function waited(seconds) {
  const days = Math.floor(seconds / 86400);
  return days > 0 ? `${days} 天` : `${Math.max(1, Math.floor(seconds / 3600))} 小时内`;
}

// The inbox: a checkbox per request, and 批量同意 for the checked ones (each answered on its
// own: one stale request does not stop the others).
async function inbox(me, reload) {
  const page = await api('GET', `/inbox?limit=${PAGE_SIZE}`);
  const section = el('section', { 'aria-label': '待办' }, el('h3', {}, '待办'));
  if (page.items.length === 0) {
    section.append(el('p', { class: 'muted' }, '没有待办事项。'));
    return section;
  }
  const status = el('p', { role: 'status', hidden: true });
  const boxes = page.items.map((item) => el('input', { type: 'checkbox', 'aria-label': `选择${item.subject_name || item.organisation_name}` }));
  const batch = el('button', { type: 'button' }, '批量同意');
  batch.addEventListener('click', () => whileBusy(batch, async () => {
    const chosen = page.items.filter((item, i) => boxes[i].checked);
    if (chosen.length === 0) {
      showMessage(status, '请先勾选。');
      return;
    }
    const byMode = (mode) => chosen.filter((item) => item.mode === mode)
      .map((item) => ({ id: item.id, step: item.step, version: item.version }));
    try {
      const answers = [];
      for (const [mode, action] of [['approve', 'approve'], ['file', 'acknowledge']]) {
        const items = byMode(mode);
        if (items.length) answers.push(...(await api('POST', '/inbox/approve', { body: { items, action } })).results);
      }
      const failed = answers.filter((r) => r.status >= 300).length;
      reload(failed ? `已办理 ${answers.length - failed} 件，${failed} 件未能办理（可能已被他人处理）。` : `已办理 ${answers.length} 件。`);
    } catch (error) {
      showMessage(status, error.message);
    }
  }));
  section.append(el('div', { class: 'scroll' }, el('table', { class: 'list', 'aria-label': '待办' },
    el('thead', {}, el('tr', {}, ['', '组织', '事项', '方式', '提交人', '等待', '催办'].map((h) => el('th', {}, h)))),
    el('tbody', {}, page.items.map((item, i) => el('tr', {},
      el('td', {}, boxes[i]), el('td', {}, subjectLink(item)),
      el('td', {}, nameIn(REQUEST_KIND_NAMES, item.kind)), el('td', {}, nameIn(STEP_MODE_NAMES, item.mode)),
      el('td', {}, item.originator_name || item.originator), el('td', {}, waited(item.waiting_seconds)),
      el('td', {}, item.urged_at ? formatTime(item.urged_at) : '')))))),
  el('div', { class: 'actions' }, batch), status);
  return section;
}

async function myRequests() {
  const page = await api('GET', `/requests?list=submitted&limit=${PAGE_SIZE}`);
  const section = el('section', { 'aria-label': '我的申请' }, el('h3', {}, '我的申请'));
  if (page.items.length === 0) {
    section.append(el('p', { class: 'muted' }, '还没有申请。从组织页面的“发起换届”或两新组织页面的覆盖提议开始。'));
    return section;
  }
  section.append(el('div', { class: 'scroll' }, el('table', { class: 'list', 'aria-label': '我的申请' },
    el('thead', {}, el('tr', {}, ['组织', '事项', '状态', '提交时间'].map((h) => el('th', {}, h)))),
    el('tbody', {}, page.items.map((item) => el('tr', {},
      el('td', {}, subjectLink(item)), el('td', {}, nameIn(REQUEST_KIND_NAMES, item.kind)),
      el('td', {}, nameIn(REQUEST_STATE_NAMES, item.state)),
      el('td', {}, item.pending_since ? formatTime(item.pending_since) : '')))))));
  return section;
}

async function renderOverview(view, me, message) {
  const status = el('p', { class: 'notice ok', role: 'status', hidden: !message }, message || '');
  const reload = (text) => {
    view.replaceChildren(view.firstChild);
    renderOverview(view, me, text).catch((error) => view.append(el('p', { class: 'notice error', role: 'alert' }, error.message)));
  };
  const parts = [status, el('p', {}, el('a', { href: `#/elections/oversight/${me.region}` }, '换届督查'))];
  if (me.roles.includes('approver') || me.roles.includes('admin')) parts.push(await inbox(me, reload));
  if (me.roles.includes('clerk')) parts.push(await myRequests());
  view.append(...parts);
}

// The oversight of a region: by child region, the organisations due within 6 and 3 months,
// overdue, steps waiting long, and the on-time rate; then the overdue organisations.
async function renderOversight(view, me, code) {
  let data, region;
  try {
    [data, region] = await Promise.all([api('GET', `/oversight/reelections?under=${code}`), api('GET', `/regions/${code}`)]);
  } catch (error) {
    if (error.status !== 404) throw error;
    view.append(el('p', { class: 'notice error' }, '该区划不存在，或不在您的管辖范围内。'));
    return;
  }
  const url = (c) => `#/elections/oversight/${c}`;
  const percent = (rate) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);
  const row = (r, link) => el('tr', {},
    el('th', { scope: 'row' }, link ? el('a', { href: url(r.region) }, r.name || r.region) : r.name || r.region || '合计'),
    [r.organisations, r.due_within_6_months, r.due_within_3_months, r.overdue, r.steps_waiting_long,
      r.reelections_done].map((n) => el('td', { class: 'number' }, String(n))),
    el('td', { class: 'number' }, percent(r.on_time_rate)));
  const chart = data.by_region.length ? await rateChart('按期换届率', data.by_region.map((r) => r.name || r.region),
    [['按期换届率', data.by_region.map((r) => r.on_time_rate)]]) : '';
  view.append(breadcrumbs(region, me, url), el('h2', {}, `${region.name} · 换届督查`),
    el('p', { class: 'muted' }, `截至 ${data.as_of}；“久未办理”指等待超过 ${data.waiting_days} 天的环节。`),
    el('p', { class: 'actions' }, '导出：',
      el('a', { href: `/api/v1/oversight/reelections/export?under=${code}&format=xlsx`, download: '' }, 'Excel（XLSX）'),
      el('a', { href: `/api/v1/oversight/reelections/export?under=${code}&format=csv`, download: '' }, 'CSV')),
    el('div', { class: 'scroll' }, el('table', { class: 'list', 'aria-label': '换届督查' },
      el('thead', {}, el('tr', {}, ['区划', '组织', '6个月内到期', '3个月内到期', '已逾期', '久未办理', '已换届', '按期换届率']
        .map((h) => el('th', {}, h)))),
      el('tbody', {}, data.by_region.map((r) => row(r, region.level !== 'township')), row({ ...data.totals, name: '合计' }, false)))),
    chart,
    el('h3', {}, '逾期未换届'),
    data.overdue.length === 0 ? el('p', { class: 'muted' }, '没有逾期未换届的组织。')
      : el('ul', {}, data.overdue.map((o) => el('li', {}, el('a', { href: `#/organisations/${o.id}` }, o.name), `（应于 ${o.next_due} 换届）`))));
  if (chart) chart.draw();
}

export async function renderElections(view, me, params, query) {
  const [first, second] = params;
  if (first === undefined || first === '') return renderOverview(view, me);
  if (first === 'new') return renderNewElection(view, me, query);
  if (first === 'oversight') return renderOversight(view, me, CODE.test(second || '') ? second : me.region);
  if (ID.test(first)) return renderElection(view, me, first);
  view.append(el('p', { class: 'notice error' }, '地址有误。'), el('p', {}, el('a', { href: '#/elections' }, '返回换届')));
  return undefined;
}
