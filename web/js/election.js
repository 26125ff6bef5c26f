// One re-election ("#/elections/7"): its plan and candidates, and its two workflow requests (the
// plan's approval, the result's filing) with their steps and history. The actions offered are
// those the caller may take now: submit, withdraw, decide the pending step, record the result.
// The server decides every one of them again; the page only leaves out what would be refused.
import { api } from './api.js';
import { el, formatTime, showMessage } from './dom.js';
import { clearErrors, field, input, readForm, select, showError, todayUtc, whileBusy } from './forms.js';
import {
  EVENT_NAMES, REQUEST_KIND_NAMES, REQUEST_STATE_NAMES, SEAT_NAMES, STAGE_NAMES, STEP_MODE_NAMES,
  STEP_STATE_NAMES, levelName, nameIn, roleNames,
} from './labels.js';

const NOT_ELECTED = { '': '未当选' };

function seatsText(seats) {
  return Object.entries(SEAT_NAMES).filter(([code]) => seats[code] > 0)
    .map(([code, name]) => `${name} ${seats[code]}`).join('，');
}

function facts(plan) {
  const rows = [
    ['阶段', nameIn(STAGE_NAMES, plan.stage)],
    ['计划换届日期', plan.planned_date],
    plan.village_committee_election ? ['村(居)委会换届日期', plan.village_committee_election] : null,
    ['任期', `${plan.term_years} 年`],
    ['职数', seatsText(plan.seats)],
    plan.election_date ? ['选举日期', plan.election_date] : null,
    plan.note ? ['说明', plan.note] : null,
  ].filter(Boolean);
  return el('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

function candidatesTable(plan) {
  const elected = plan.candidates.some((c) => c.elected_seat || c.votes !== null);
  return el('section', { 'aria-label': '候选人' }, el('h3', {}, '候选人'),
    el('div', { class: 'scroll' }, el('table', { class: 'list' },
      el('thead', {}, el('tr', {}, ['姓名', '候选职务', '进两委', ...(elected ? ['当选职务', '得票'] : [])]
        .map((h) => el('th', {}, h)))),
      el('tbody', {}, plan.candidates.map((c) => el('tr', {},
        el('td', {}, c.person_id ? el('a', { href: `#/cadres/${c.person_id}` }, c.name) : [c.name, ' ', el('span', { class: 'tag' }, '新')]),
        el('td', {}, nameIn(SEAT_NAMES, c.seat)),
        el('td', {}, c.in_two_committees ? '是' : '否'),
        elected ? el('td', {}, c.elected_seat ? nameIn(SEAT_NAMES, c.elected_seat) : '未当选') : null,
        elected ? el('td', { class: 'number' }, c.votes ?? '') : null))))));
}

function stepsTable(request) {
  return el('div', { class: 'scroll' }, el('table', { class: 'list', 'aria-label': `${nameIn(REQUEST_KIND_NAMES, request.kind)}环节` },
    el('thead', {}, el('tr', {}, ['环节', '办理单位', '角色', '方式', '状态', '办理人', '意见'].map((h) => el('th', {}, h)))),
    el('tbody', {}, request.steps.map((s) => el('tr', { class: s.state === 'pending' ? 'current' : null },
      el('td', { class: 'number' }, s.seq),
      el('td', {}, `${s.region}（${levelName(s.level)}级）`),
      el('td', {}, roleNames([s.role])),
      el('td', {}, nameIn(STEP_MODE_NAMES, s.mode)),
      el('td', {}, nameIn(STEP_STATE_NAMES, s.state)),
      el('td', {}, s.decided_by || ''),
      el('td', {}, s.comment || ''))))));
}

function history(request) {
  return el('ol', { class: 'history', 'aria-label': `${nameIn(REQUEST_KIND_NAMES, request.kind)}记录` },
    request.events.map((e) => el('li', {},
      el('time', { datetime: e.at }, formatTime(e.at)), ' ',
      `${e.actor_name || e.actor} ${nameIn(EVENT_NAMES, e.action)}`,
      e.step ? `（第 ${e.step} 环节）` : '',
      e.comment ? `：${e.comment}` : '')));
}

// The pending step (the one to decide now), when the caller may decide it: its region is hers
// and she has its role. (An approver never decides her own request; the server says so.)
function myStep(request, me) {
  const step = request.steps.find((s) => s.state === 'pending');
  return step && step.region === me.region && me.roles.includes(step.role) ? step : null;
}

function decisionForm(request, step, done) {
  const notice = el('p', { class: 'notice error', role: 'alert', hidden: true });
  const actions = step.mode === 'file'
    ? { acknowledge: '备案', return: '退回修改' }
    : { approve: '同意', return: '退回', reject: '不同意' };
  const earlier = Object.fromEntries([['0', '起草人'], ...request.steps.filter((s) => s.seq < step.seq)
    .map((s) => [String(s.seq), `第 ${s.seq} 环节`])]);
  const submit = el('button', { type: 'submit' }, '提交意见');
  const form = el('form', { class: 'edit', 'aria-label': '办理', novalidate: true },
    field('办理意见', select('action', actions, Object.keys(actions)[0])),
    field('退回至', select('return_to', earlier, '0')),
    field('理由', el('textarea', { name: 'comment', rows: 2, maxlength: 1000 }), '退回或不同意时必填。'),
    notice, el('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, notice);
    const values = readForm(form);
    const body = { version: request.version, step: step.seq, action: values.action, comment: values.comment ?? undefined };
    if (values.action === 'return') body.return_to = Number(values.return_to);
    await whileBusy(submit, async () => {
      try {
        await api('POST', `/requests/${request.id}/decisions`, { body });
        done(`已${actions[values.action]}。`);
      } catch (error) {
        showError(form, notice, error);
      }
    });
  });
  return form;
}

// Submit (a draft or a returned request) and withdraw (before any decision, or returned), for
// its originator.
function originatorActions(request, me, done, notice) {
  if (request.originator !== me.username) return null;
  const post = (path, message) => async (event) => {
    await whileBusy(event.currentTarget, async () => {
      try {
        await api('POST', `/requests/${request.id}/${path}`, { body: { version: request.version } });
        done(message);
      } catch (error) {
        showMessage(notice, error.message);
      }
    });
  };
  const decided = request.steps.some((s) => !['waiting', 'pending'].includes(s.state));
  const buttons = [];
  if (request.state === 'draft' || request.state === 'returned') {
    buttons.push(el('button', { type: 'button', onclick: post('submit', '已提交。') },
      request.state === 'draft' ? '提交' : '重新提交'));
  }
  if (request.state === 'returned' || (['draft', 'in_progress'].includes(request.state) && !decided)) {
    buttons.push(el('button', { type: 'button', class: 'quiet', onclick: post('withdraw', '已撤回。') }, '撤回'));
  }
  return buttons.length ? el('div', { class: 'actions' }, buttons) : null;
}

// A workflow request with its steps and history, and the actions the caller may take on it now
// (also on the page of a new organisation, for the proposal of its coverage).
export function requestSection(request, me, done) {
  const notice = el('p', { class: 'notice error', role: 'alert', hidden: true });
  const step = request.state === 'in_progress' ? myStep(request, me) : null;
  const title = nameIn(REQUEST_KIND_NAMES, request.kind);
  return el('section', { 'aria-label': title },
    el('h3', {}, `${title} · ${nameIn(REQUEST_STATE_NAMES, request.state)}`),
    stepsTable(request), history(request), notice,
    originatorActions(request, me, done, notice),
    step ? decisionForm(request, step, done) : null);
}

// The result: for each candidate the seat she was elected to (or none) and her votes.
function resultForm(plan, done) {
  const notice = el('p', { class: 'notice error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit' }, '保存选举结果');
  // Until a result is recorded, each seat is offered to its candidates in order, as many as it
  // has places; the others start as not elected.
  const left = { ...plan.seats };
  const recorded = plan.candidates.some((c) => c.elected_seat);
  const rows = plan.candidates.map((c, i) => {
    const first = recorded ? c.elected_seat ?? '' : left[c.seat]-- > 0 ? c.seat : '';
    const seat = select(`seat_${i}`, { ...NOT_ELECTED, ...SEAT_NAMES }, first);
    seat.setAttribute('aria-label', `${c.name}的当选职务`);
    const votes = input(`votes_${i}`, c.votes ?? '', { type: 'number', min: 0, 'aria-label': `${c.name}的得票` });
    return el('tr', {}, el('td', {}, c.name), el('td', {}, nameIn(SEAT_NAMES, c.seat)), el('td', {}, seat), el('td', {}, votes));
  });
  const form = el('form', { class: 'edit', 'aria-label': '选举结果', novalidate: true },
    field('选举日期', input('election_date', plan.election_date || todayUtc(), { type: 'date' })),
    el('div', { class: 'scroll' }, el('table', { class: 'list' },
      el('thead', {}, el('tr', {}, ['姓名', '候选职务', '当选职务', '得票'].map((h) => el('th', {}, h)))),
      el('tbody', {}, rows))),
    notice, el('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, notice);
    const values = readForm(form);
    const elected = plan.candidates.flatMap((c, i) => (values[`seat_${i}`]
      ? [{ candidate_id: c.id, seat: values[`seat_${i}`], votes: values[`votes_${i}`] ?? 0 }] : []));
    await whileBusy(submit, async () => {
      try {
        await api('PUT', `/reelections/${plan.id}/result`,
          { body: { version: plan.version, election_date: values.election_date, elected } });
        done('选举结果已保存，请提交备案。');
      } catch (error) {
        showError(form, notice, error);
      }
    });
  });
  return form;
}

export async function renderElection(view, me, id) {
  const holder = el('div');
  view.append(holder);
  async function load(message) {
    let plan;
    try {
      plan = await api('GET', `/reelections/${id}`);
    } catch (error) {
      if (error.status !== 404) throw error;
      holder.replaceChildren(el('p', { class: 'notice error' }, '未找到该换届，或它不在您的管辖范围内。'));
      return;
    }
    const done = (text) => load(text).catch((error) => showMessage(status, error.message));
    const status = el('p', { class: 'notice ok', role: 'status', hidden: !message }, message || '');
    const result = plan.result_request;
    const recordable = plan.stage === 'election' && me.roles.includes('clerk') &&
      (!result || ['draft', 'returned'].includes(result.state));
    holder.replaceChildren(el('div', {},
      el('p', {}, el('a', { href: `#/organisations/${plan.organisation_id}` }, `‹ ${plan.organisation_name}`)),
      el('h2', {}, `${plan.organisation_name} · 换届`),
      status,
      plan.warnings.length ? el('ul', { class: 'notice warning', 'aria-label': '提示' },
        plan.warnings.map((w) => el('li', {}, w.message))) : null,
      facts(plan), candidatesTable(plan),
      requestSection(plan.plan_request, me, done),
      recordable ? el('section', { 'aria-label': '登记选举结果' }, el('h3', {}, '登记选举结果'), resultForm(plan, done)) : null,
      result ? requestSection(result, me, done) : null));
  }
  await load();
}
