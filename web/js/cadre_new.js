// A new cadre ("#/cadres/new?organisation=42", clerks): her personal record and her first
// position in that organisation; "&succeeds=9&role=chair" makes her the successor of the
// holder of position 9, which the server ends on her start date.
import { api } from './api.js';
import { el } from './dom.js';
import { checkbox, clearErrors, field, input, readForm, select, showError, todayUtc, whileBusy } from './forms.js';
import { OFFICE_NAMES, nameIn } from './labels.js';
import { PERSON_MEMBERS, personFields } from './person_form.js';

const ID = /^[1-9]\d{0,17}$/;

function withoutNulls(values) {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));
}

// The holder this cadre succeeds, from the organisation's current office holders.
function predecessor(org, positionId) {
  return (org.office_holders?.current || []).find((h) => String(h.position_id) === positionId) || null;
}

function newCadreForm(org, query) {
  const succeeds = ID.test(query.get('succeeds') || '') ? predecessor(org, query.get('succeeds')) : null;
  const role = succeeds ? succeeds.role : query.get('role');
  const notice = el('p', { class: 'notice error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit' }, '添加');
  const form = el('form', { class: 'edit', 'aria-label': '添加干部', novalidate: true },
    el('h3', {}, '个人信息'),
    personFields({}),
    el('h3', {}, '职务'),
    el('p', {}, `组织：${org.name}`),
    succeeds ? el('p', {}, `接替：${succeeds.name ?? '（辖区外人员）'}（${nameIn(OFFICE_NAMES, succeeds.role)}），其任职将于新干部任职之日结束。`) : null,
    field('职务', select('role', OFFICE_NAMES, role, '请选择')),
    checkbox('full_time', false, '专职'),
    checkbox('in_two_committees', false, '进两委'),
    field('任职日期', input('start_date', todayUtc(), { type: 'date' })),
    notice,
    el('div', { class: 'actions' }, submit, el('a', { href: `#/organisations/${org.id}` }, '取消')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, notice);
    const values = readForm(form);
    const person = withoutNulls(Object.fromEntries(PERSON_MEMBERS.map((name) => [name, values[name]])));
    const position = withoutNulls({
      organisation_id: org.id,
      role: values.role,
      full_time: values.full_time,
      in_two_committees: values.in_two_committees,
      start_date: values.start_date,
      succeeds_id: succeeds ? succeeds.position_id : null,
    });
    await whileBusy(submit, async () => {
      try {
        const cadre = await api('POST', '/cadres', { body: { ...person, position } });
        window.location.hash = `#/cadres/${cadre.id}`;
      } catch (error) {
        showError(form, notice, error);
      }
    });
  });
  return form;
}

export async function renderNewCadre(view, me, query) {
  view.append(el('h2', {}, '添加干部'));
  if (!me.roles.includes('clerk')) {
    view.append(el('p', { class: 'notice error' }, '只有录入人员可以添加干部。'));
    return;
  }
  const id = query.get('organisation') || '';
  if (!ID.test(id)) {
    view.append(el('p', {}, '干部随其职务录入：请先在', el('a', { href: '#/organisations' }, '组织'),
      '中打开她任职的组织，再点“添加干部”。'));
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
  view.append(newCadreForm(org, query));
  view.querySelector('input')?.focus();
}
