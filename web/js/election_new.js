// A new re-election plan (换届方案, "#/elections/new?organisation=42", clerks): the planned date,
// the term, the seats, and the candidates: the organisation's office holders, each offered for
// a seat, and new ones entered here. Saved as a draft; the plan's page submits it.
import { api } from './api.js';
import { el } from './dom.js';
import { clearErrors, field, input, readForm, select, showError, whileBusy } from './forms.js';
import { OFFICE_NAMES, SEAT_NAMES, nameIn } from './labels.js';
import { PERSON_MEMBERS, personFields } from './person_form.js';

const ID = /^[1-9]\d{0,17}$/;
const SEATS = Object.keys(SEAT_NAMES);
const NOT_A_CANDIDATE = { '': '不作为候选人' };

// The seat an office holder is first offered for: the one she holds now.
function seatOf(holder) {
  if (holder.role === 'vice_chair') return holder.full_time ? 'vice_chair_full_time' : 'vice_chair_part_time';
  return SEATS.includes(holder.role) ? holder.role : 'executive_member';
}

function holderRow(holder, i) {
  const seat = select(`seat_${i}`, { ...NOT_A_CANDIDATE, ...SEAT_NAMES }, seatOf(holder));
  seat.setAttribute('aria-label', `${holder.name}的候选职务`);
  const two = el('input', { type: 'checkbox', name: `two_${i}`, checked: Boolean(holder.in_two_committees),
    'aria-label': `${holder.name}进两委` });
  return el('tr', { 'data-person': holder.person_id },
    el('td', {}, holder.name), el('td', {}, nameIn(OFFICE_NAMES, holder.role)), el('td', {}, seat), el('td', {}, two));
}

// A new candidate's record (the person members of a new cadre) and the seat she stands for.
function newCandidate(index, remove) {
  const box = el('fieldset', { class: 'candidate', 'data-new': index },
    el('legend', {}, `新候选人 ${index}`),
    personFields({}),
    field('候选职务', select('seat', SEAT_NAMES, 'executive_member')),
    el('div', { class: 'field check' }, el('input', { type: 'checkbox', name: 'in_two_committees', id: `new-two-${index}` }),
      el('label', { for: `new-two-${index}` }, '进两委')),
    el('button', { type: 'button', class: 'quiet', onclick: () => remove(box) }, '移除'));
  return box;
}

function candidatesOf(form, holders) {
  const candidates = [];
  holders.forEach((holder, i) => {
    const seat = form.elements.namedItem(`seat_${i}`).value;
    if (seat) candidates.push({ person_id: holder.person_id, seat, in_two_committees: form.elements.namedItem(`two_${i}`).checked });
  });
  for (const box of form.querySelectorAll('fieldset[data-new]')) {
    const values = readForm(box);
    const person = Object.fromEntries(PERSON_MEMBERS.filter((m) => values[m] !== null && values[m] !== undefined)
      .map((m) => [m, values[m]]));
    candidates.push({ person, seat: values.seat, in_two_committees: Boolean(values.in_two_committees) });
  }
  return candidates;
}

function planForm(org) {
  // Each person once (she may hold two offices), and none whose record lies outside the
  // caller's jurisdiction (no name): the server would not take her as a candidate.
  const holders = (org.office_holders?.current || []).filter((h, i, all) =>
    h.name !== null && all.findIndex((o) => o.person_id === h.person_id) === i);
  const notice = el('p', { class: 'notice error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit' }, '保存草稿');
  const extra = el('div');
  let added = 0;
  const addNew = el('button', { type: 'button', class: 'quiet' }, '添加新候选人');
  addNew.addEventListener('click', () => extra.append(newCandidate(++added, (box) => box.remove())));
  const seatCount = (name, value, max) => field(nameIn(SEAT_NAMES, name.replace('seats_', '')),
    input(name, value, { type: 'number', min: 0, max }));
  const form = el('form', { class: 'edit', 'aria-label': '换届方案', novalidate: true },
    el('p', {}, `组织：${org.name}`),
    org.village_committee_election ? el('p', { class: 'muted' }, `村(居)委会换届日期：${org.village_committee_election}`) : null,
    field('计划换届日期', input('planned_date', org.village_committee_election || '', { type: 'date' })),
    field('任期（年）', input('term_years', 5, { type: 'number', min: 3, max: 5 }), '3 至 5 年'),
    el('h3', {}, '职数'),
    el('div', { class: 'seats' },
      field('主席', input('seats_chair', 1, { type: 'number', min: 1, max: 1, readonly: true })),
      seatCount('seats_vice_chair_full_time', 0, 10), seatCount('seats_vice_chair_part_time', 1, 20),
      seatCount('seats_standing_member', 0, 50), seatCount('seats_executive_member', 3, 500)),
    el('h3', {}, '候选人'),
    el('p', { class: 'muted' }, '候选人数不得少于职数，同一人只能出现一次。'),
    el('div', { class: 'scroll' }, el('table', { class: 'list', 'aria-label': '现任人员' },
      el('thead', {}, el('tr', {}, ['姓名', '现任职务', '候选职务', '进两委'].map((h) => el('th', {}, h)))),
      el('tbody', {}, holders.map(holderRow)))),
    extra, el('p', {}, addNew),
    field('说明', el('textarea', { name: 'note', rows: 2, maxlength: 1000 })),
    notice,
    el('div', { class: 'actions' }, submit, el('a', { href: `#/organisations/${org.id}` }, '取消')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, notice);
    const values = readForm(form);
    const body = {
      organisation_id: org.id,
      planned_date: values.planned_date,
      term_years: values.term_years,
      seats: Object.fromEntries(SEATS.map((s) => [s, values[`seats_${s}`] ?? 0])),
      candidates: candidatesOf(form, holders),
      note: values.note,
    };
    await whileBusy(submit, async () => {
      try {
        const plan = await api('POST', '/reelections', { body });
        window.location.hash = `#/elections/${plan.id}`;
      } catch (error) {
        showError(form, notice, error);
      }
    });
  });
  return form;
}

export async function renderNewElection(view, me, query) {
  const id = query.get('organisation') || '';
  if (!ID.test(id)) {
    view.append(el('p', { class: 'notice error' }, '请从组织页面发起换届。'), el('p', {}, el('a', { href: '#/organisations' }, '前往组织')));
    return;
  }
  let org;
  try {
    org = await api('GET', `/organisations/${id}`);
  } catch (error) {
    if (error.status !== 404) throw error;
    view.append(el('p', { class: 'notice error' }, '未找到该组织，或它不在您的管辖范围内。'));
    return;
  }
  view.append(el('h2', {}, `${org.name} · 换届方案`), planForm(org));
}
