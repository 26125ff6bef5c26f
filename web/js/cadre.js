// One cadre ("#/cadres/7"): her personal record, her positions (current, then the history) and
// her training. Clerks change the record, end a position and add training, each in a form
// that shows the server's complaints at the field they concern.
import { api } from './api.js';
import { el, showMessage } from './dom.js';
import { changed, clearErrors, field, input, readForm, select, showError, todayUtc, whileBusy } from './forms.js';
import {
  EDUCATION_NAMES, GENDER_NAMES, LEVEL_NAMES, OCCUPATION_NAMES, OFFICE_NAMES, POLITICAL_NAMES, nameIn,
} from './labels.js';
import { personFields, personOf } from './person_form.js';

const LEVELS = Object.fromEntries(Object.entries(LEVEL_NAMES).map(([code, name]) => [code, `${name}级`]));

function facts(cadre) {
  const rows = [
    ['性别', nameIn(GENDER_NAMES, cadre.gender)],
    ['出生日期', `${cadre.birth_date}（${cadre.age} 岁）`],
    ['民族', cadre.ethnicity],
    ['学历', nameIn(EDUCATION_NAMES, cadre.education)],
    ['政治面貌', nameIn(POLITICAL_NAMES, cadre.political_status)],
    ['身份证号', cadre.id_number],
    ['手机号', cadre.mobile || '未记录'],
    ['职业类别', nameIn(OCCUPATION_NAMES, cadre.occupation)],
    ['在册区划', cadre.region],
    ['最近培训', [cadre.last_training_on || '无', cadre.training_due ? [' ', el('span', { class: 'tag' }, '待培训')] : null]],
  ];
  return el('dl', { class: 'facts', 'aria-label': '个人信息' },
    rows.map(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

// form(title, controls, submitText, send, onDone): a form whose submit calls send(values);
// the server's complaints go to the fields they name, onDone(values) runs after a success.
function form(title, controls, submitText, send, onDone) {
  const notice = el('p', { class: 'notice error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit' }, submitText);
  const cancel = el('button', { type: 'button', class: 'quiet' }, '取消');
  const node = el('form', { class: 'edit', 'aria-label': title, novalidate: true },
    el('h3', {}, title), controls, notice, el('div', { class: 'actions' }, submit, cancel));
  cancel.addEventListener('click', () => node.remove());
  node.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(node, notice);
    await whileBusy(submit, async () => {
      try {
        if (await send(readForm(node), notice) !== false) onDone();
      } catch (error) {
        showError(node, notice, error);
      }
    });
  });
  return node;
}

function editForm(cadre, onDone) {
  return form('编辑个人信息', personFields(cadre), '保存', async (values, notice) => {
    const body = changed(values, personOf(cadre));
    if (Object.keys(body).length === 0) {
      showMessage(notice, '没有修改任何内容。');
      return false;
    }
    await api('PATCH', `/cadres/${cadre.id}`, { body: { version: cadre.version, ...body } });
    return true;
  }, onDone);
}

function endForm(position, onDone) {
  const title = `结束任职：${position.organisation_name} ${nameIn(OFFICE_NAMES, position.role)}`;
  return form(title, [
    field('离任日期', input('end_date', todayUtc(), { type: 'date' })),
    field('离任原因', input('reason', '', { maxlength: 200, placeholder: '如：换届、调离、辞职' })),
  ], '结束任职', (values) => api('POST', `/positions/${position.id}/end`, {
    body: { version: position.version, end_date: values.end_date, reason: values.reason },
  }), onDone);
}

function trainingForm(cadre, onDone) {
  return form('添加培训', [
    field('培训日期', input('held_on', todayUtc(), { type: 'date' })),
    field('课程', input('course', '', { maxlength: 200 })),
    field('学时', input('hours', '', { type: 'number', min: 0.1, max: 1000, step: 0.1 })),
    field('组织层级', select('organiser_level', LEVELS, '', '请选择')),
  ], '添加', (values) => api('POST', `/cadres/${cadre.id}/training`, { body: values }), onDone);
}

function positionsTable(positions, clerk, showForm) {
  const rows = positions.map((p) => el('tr', {},
    el('td', {}, el('a', { href: `#/organisations/${p.organisation_id}` }, p.organisation_name || String(p.organisation_id))),
    el('td', {}, nameIn(OFFICE_NAMES, p.role)),
    el('td', {}, p.full_time ? '专职' : '兼职'),
    el('td', {}, p.in_two_committees ? '是' : '否'),
    el('td', {}, p.term_start || ''),
    el('td', {}, p.start_date),
    p.end_date ? [el('td', {}, p.end_date), el('td', {}, p.end_reason || '')]
      : clerk ? el('td', {}, el('button', { type: 'button', class: 'quiet', onclick: () => showForm(p) }, '结束任职')) : null));
  const headings = ['组织', '职务', '专兼职', '进两委', '本届开始', '任职日期'];
  if (positions.some((p) => p.end_date)) headings.push('离任日期', '离任原因');
  else if (clerk) headings.push('');
  return el('div', { class: 'scroll' }, el('table', { class: 'list' },
    el('thead', {}, el('tr', {}, headings.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows)));
}

function trainingTable(training) {
  return el('div', { class: 'scroll' }, el('table', { class: 'list' },
    el('thead', {}, el('tr', {}, ['日期', '课程', '学时', '组织层级'].map((h) => el('th', {}, h)))),
    el('tbody', {}, training.map((t) => el('tr', {},
      el('td', {}, t.held_on), el('td', {}, t.course), el('td', { class: 'number' }, String(t.hours)),
      el('td', {}, nameIn(LEVELS, t.organiser_level)))))));
}

function section(title, ...children) {
  return el('section', { 'aria-label': title }, el('h3', {}, title), children);
}

export async function renderCadre(view, me, id) {
  const holder = el('div');
  view.append(holder);
  const clerk = me.roles.includes('clerk');

  async function load(message) {
    let cadre;
    try {
      cadre = await api('GET', `/cadres/${id}`);
    } catch (error) {
      if (error.status !== 404) throw error;
      holder.replaceChildren(el('p', { class: 'notice error' }, '未找到该干部，或她不在您的管辖范围内。'),
        el('p', {}, el('a', { href: '#/cadres' }, '返回干部名册')));
      return;
    }
    document.title = `${cadre.name} - 基层组织建设`;
    const done = el('p', { class: 'notice ok', role: 'status', hidden: !message }, message || '');
    const reload = (text) => () => load(text).catch((error) => showMessage(done, error.message));
    const forms = el('div');
    const show = (node) => {
      forms.replaceChildren(node);
      node.querySelector('input, select')?.focus();
    };
    const current = cadre.positions.filter((p) => !p.end_date);
    const ended = cadre.positions.filter((p) => p.end_date);
    // Through el(), which leaves out the null of a viewer's missing actions.
    holder.replaceChildren(el('div', {},
      el('p', {}, el('a', { href: '#/cadres' }, '‹ 干部名册')),
      el('h2', {}, cadre.name),
      done, facts(cadre),
      clerk ? el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'quiet', onclick: () => show(editForm(cadre, reload('已保存。'))) }, '编辑'),
        el('button', { type: 'button', class: 'quiet', onclick: () => show(trainingForm(cadre, reload('已添加培训记录。'))) }, '添加培训'))
        : null,
      forms,
      section('现任职务', current.length
        ? positionsTable(current, clerk, (p) => show(endForm(p, reload('已结束任职。'))))
        : el('p', { class: 'muted' }, '暂无现任职务。')),
      section('任职历史', ended.length ? positionsTable(ended, false) : el('p', { class: 'muted' }, '暂无离任记录。')),
      section('培训记录', cadre.training.length ? trainingTable(cadre.training) : el('p', { class: 'muted' }, '暂无培训记录。'))));
  }
  await load();
}
