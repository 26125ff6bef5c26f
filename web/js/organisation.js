// One organisation ("#/organisations/42"): its data, its current and past office holders with
// who succeeded whom, and for clerks a form to change it and one for 会改联 (a village's women's
// congress becoming a federation).
import { api } from './api.js';
import { el, showMessage } from './dom.js';
import { changed, clearErrors, field, input, readForm, select, showError, todayUtc, whileBusy } from './forms.js';
import { OFFICE_NAMES, kindText, levelName, nameIn } from './labels.js';

const TERM_YEARS = { 3: '3 年', 4: '4 年', 5: '5 年' };

function isClerk(me) {
  return me.roles.includes('clerk');
}

function facts(org) {
  const rows = [
    ['类型', kindText(org)],
    ['所在区划', `${org.region_name || ''} ${org.region}（${levelName(org.level)}级）`],
    ['本届开始', org.term ? org.term.start : '未记录'],
    ['任期', org.term ? `${org.term.years} 年` : '未记录'],
    ['本届结束', org.term ? org.term.end : '未记录'],
  ];
  if (org.level === 'village') rows.push(['村（居）委会换届', org.village_committee_election || '未记录']);
  rows.push(['下次换届', org.next_due || '未记录']);
  if (org.converted_on) rows.push(['会改联日期', org.converted_on]);
  return el('dl', { class: 'facts' }, rows.map(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

// holderName(holder): her name as a link to her record; a person on the roll outside the
// user's jurisdiction has no name for her, and no link.
function holderName(holder) {
  return holder.name === null
    ? el('span', { class: 'muted' }, '（辖区外人员）')
    : el('a', { href: `#/cadres/${holder.person_id}` }, holder.name);
}

function nameOfPosition(byPosition, id) {
  const holder = byPosition.get(id);
  if (!holder) return '';
  return holder.name === null ? '（辖区外人员）' : holder.name;
}

function holdersTable(headings, rows) {
  return el('div', { class: 'scroll' }, el('table', { class: 'list' },
    el('thead', {}, el('tr', {}, headings.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows)));
}

function officeHolders(org, me) {
  const { current = [], past = [] } = org.office_holders || {};
  const byPosition = new Map([...current, ...past].map((h) => [h.position_id, h]));
  const predecessor = (h) => (h.succeeds_id ? nameOfPosition(byPosition, h.succeeds_id) : '');
  const successor = (h) => (h.succeeded_by ? nameOfPosition(byPosition, h.succeeded_by) : '');
  const clerk = isClerk(me);
  const currentRows = current.map((h) => el('tr', {},
    el('td', {}, holderName(h)),
    el('td', {}, nameIn(OFFICE_NAMES, h.role)),
    el('td', {}, h.full_time ? '专职' : '兼职'),
    el('td', {}, h.in_two_committees ? '是' : '否'),
    el('td', {}, h.start_date),
    el('td', {}, predecessor(h)),
    clerk ? el('td', {}, el('a', {
      href: `#/cadres/new?organisation=${org.id}&succeeds=${h.position_id}&role=${h.role}`,
    }, '接任')) : null));
  const currentHeadings = ['姓名', '职务', '专兼职', '进两委', '任职日期', '前任'];
  if (clerk) currentHeadings.push('');
  const pastRows = past.map((h) => el('tr', {},
    el('td', {}, holderName(h)),
    el('td', {}, nameIn(OFFICE_NAMES, h.role)),
    el('td', {}, h.start_date),
    el('td', {}, h.end_date || ''),
    el('td', {}, h.end_reason || ''),
    el('td', {}, successor(h))));
  return el('div', {},
    el('section', { 'aria-label': '现任' }, el('h3', {}, '现任'),
      currentRows.length ? holdersTable(currentHeadings, currentRows)
        : el('p', { class: 'muted' }, '暂无现任人员。'),
      clerk ? el('p', {}, el('a', { href: `#/cadres/new?organisation=${org.id}` }, '添加干部')) : null),
    el('section', { 'aria-label': '历任' }, el('h3', {}, '历任'),
      pastRows.length
        ? holdersTable(['姓名', '职务', '任职日期', '离任日期', '离任原因', '继任者'], pastRows)
        : el('p', { class: 'muted' }, '暂无历任记录。')));
}

// The values of the edit form as the organisation holds them, to send only what changed.
function editable(org) {
  return {
    name: org.name,
    term_start: org.term ? org.term.start : null,
    term_years: org.term ? String(org.term.years) : null,
    village_committee_election: org.village_committee_election,
  };
}

// toBody(values): form values as the API wants them (term_years a number).
function toBody(values) {
  const body = { ...values };
  if (typeof body.term_years === 'string') body.term_years = Number(body.term_years);
  return body;
}

// patchForm(org, title, controls, submitText, bodyOf, onDone): a form that PATCHes the
// organisation with bodyOf(its values) and its version, shows the server's complaints at its
// fields, and calls onDone after a success.
function patchForm(org, title, controls, submitText, bodyOf, onDone) {
  const notice = el('p', { class: 'notice error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit' }, submitText);
  const cancel = el('button', { type: 'button', class: 'quiet' }, '取消');
  const form = el('form', { class: 'edit', 'aria-label': title, novalidate: true },
    el('h3', {}, title), controls, notice, el('div', { class: 'actions' }, submit, cancel));
  cancel.addEventListener('click', () => form.remove());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, notice);
    const body = bodyOf(readForm(form));
    if (Object.keys(body).length === 0) {
      showMessage(notice, '没有修改任何内容。');
      return;
    }
    await whileBusy(submit, async () => {
      try {
        await api('PATCH', `/organisations/${org.id}`, { body: { version: org.version, ...body } });
        onDone();
      } catch (error) {
        showError(form, notice, error);
      }
    });
  });
  return form;
}

function editForm(org, onDone) {
  const controls = [
    field('名称', input('name', org.name, { maxlength: 200 })),
    field('本届开始日期', input('term_start', org.term?.start, { type: 'date' })),
    field('任期', select('term_years', TERM_YEARS, org.term ? String(org.term.years) : '', '未记录')),
    org.level === 'village'
      ? field('村（居）委会换届日期', input('village_committee_election', org.village_committee_election, { type: 'date' }),
        '村、社区妇联随村（居）委会换届。')
      : null,
  ];
  return patchForm(org, '编辑组织', controls, '保存',
    (values) => toBody(changed(values, editable(org))), onDone);
}

function conversionForm(org, onDone) {
  const controls = [
    field('会改联日期', input('converted_on', todayUtc(), { type: 'date' })),
    field('改建后的名称', input('name', org.name.replace(/妇代会|妇女代表大会/, '妇联'), { maxlength: 200 })),
  ];
  return patchForm(org, '会改联', controls, '确认改建',
    (values) => ({ kind: 'federation', ...changed(values, { name: org.name, converted_on: null }) }), onDone);
}

export async function renderOrganisation(view, me, id) {
  const holder = el('div');
  view.append(holder);

  async function load(message) {
    let org;
    try {
      org = await api('GET', `/organisations/${id}`);
    } catch (error) {
      if (error.status !== 404) throw error;
      holder.replaceChildren(el('p', { class: 'notice error' }, '未找到该组织，或它不在您的管辖范围内。'),
        el('p', {}, el('a', { href: '#/organisations' }, '返回组织')));
      return;
    }
    document.title = `${org.name} - 基层组织建设`;
    const done = el('p', { class: 'notice ok', role: 'status', hidden: !message }, message || '');
    const forms = el('div');
    const reload = (text) => () => load(text).catch((error) => showMessage(done, error.message));
    const actions = isClerk(me) ? el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'quiet',
        onclick: () => forms.replaceChildren(editForm(org, reload('已保存。'))) }, '编辑'),
      org.kind === 'womens_congress' ? el('button', { type: 'button', class: 'quiet',
        onclick: () => forms.replaceChildren(conversionForm(org, reload('已改建为妇联。'))) }, '会改联') : null,
      el('a', { href: `#/elections/new?organisation=${org.id}` }, '发起换届'))
      : null;
    // Through el(), which leaves out the null of a viewer's missing actions.
    holder.replaceChildren(el('div', {},
      el('p', {}, el('a', { href: `#/organisations/region/${org.region}` }, `‹ ${org.region_name || org.region}`)),
      el('h2', {}, org.name),
      done, facts(org), actions, forms, officeHolders(org, me)));
  }
  await load();
}
