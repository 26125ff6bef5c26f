// One new organisation ("#/new-organisations/7"): its record, the recommendation the rules give,
// its coverage (proposing its women's committee or liaison officer, the proposal's request on
// its way up the chain, decided here by its approver, and a returned proposal changed and
// submitted again, or withdrawn) and, once it has a
// committee, linking a county executive member to it; and one link ("#/new-organisations/
// links/3") with its visits and a form to record one.
import { api } from './api.js';
import { el, showMessage } from './dom.js';
import { clearErrors, field, input, readForm, select, showError, todayUtc, whileBusy } from './forms.js';
import { requestSection } from './election.js';
import {
  CONDITION_NAMES, COVERAGE_NAMES, COVERAGE_REQUEST_KIND_NAMES, COVERAGE_REQUEST_STAGE_NAMES, LIAISON_SOURCE_NAMES,
  NEW_ORG_KIND_NAMES, OFFICE_NAMES, PARTY_RATING_NAMES, RECOMMENDATION_NAMES, nameIn,
} from './labels.js';
import { PERSON_MEMBERS, personFields } from './person_form.js';

const isClerk = (me) => me.roles.includes('clerk');

function facts(rows) {
  return el('dl', { class: 'facts' }, rows.filter(Boolean).flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

// personPicker(name, filters, chosen): a search of the roster by name (with extra roster
// filters, e.g. executive members of county federations) and a choice among the matches, as the
// control named name whose value is the person's id; chosen ({person_id, person_name}, or
// null): who is chosen until the user searches.
function personPicker(name, filters, chosen = null) {
  const query = el('input', { type: 'search', maxlength: 64, 'aria-label': '按姓名查找' });
  const choice = el('select', { name }, chosen
    ? el('option', { value: chosen.person_id }, chosen.person_name ?? `#${chosen.person_id}`)
    : el('option', { value: '' }, '请先查找'));
  const find = el('button', { type: 'button', class: 'quiet' }, '查找');
  find.addEventListener('click', () => whileBusy(find, async () => {
    const page = await api('GET', `/roster?${filters}&name=${encodeURIComponent(query.value.trim())}&limit=50`);
    choice.replaceChildren(...(page.items.length
      ? page.items.map((c) => el('option', { value: c.person_id }, `${c.name} · ${c.organisation_name} · ${nameIn(OFFICE_NAMES, c.role)}`))
      : [el('option', { value: '' }, '没有找到')]));
  }));
  return el('div', { class: 'picker' }, el('div', { class: 'actions' }, query, find), choice);
}

// A form that hands its values to send (which makes the requests and reloads the page) and
// shows what the server refused at its field; a new person's member (person.FIELD) is shown at
// the control FIELD.
function actionForm(label, controls, send, button = label) {
  const notice = el('p', { class: 'notice error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit' }, button);
  const form = el('form', { class: 'edit', 'aria-label': label, novalidate: true }, controls, notice,
    el('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, notice);
    await whileBusy(submit, async () => {
      try {
        await send(readForm(form));
      } catch (error) {
        if (error.field) error.field = error.field.replace(/^person\./, '');
        showError(form, notice, error);
      }
    });
  });
  return form;
}

// A form that posts its values and reloads the page on success.
function postForm(label, path, controls, toBody, done, message) {
  return actionForm(label, controls, async (values) => done(message, await api('POST', path, { body: toBody(values) })));
}

// The controls of a liaison officer: where she comes from (联络员来源), and either the roster
// search or the record of a new person (as POST /cadres takes it); only the chosen one shows.
// proposal: the one being changed, whose new person's record the API does not give back.
function liaisonControls(proposal) {
  const source = select('source', LIAISON_SOURCE_NAMES, proposal && !proposal.person_id ? 'new' : 'roster');
  const roster = el('div', {}, field('联络员', personPicker('person_id', '', proposal?.person_id ? proposal : null)));
  const fresh = el('div', { class: 'person' }, proposal && !proposal.person_id
    ? el('p', { class: 'muted' }, `现为新录入的${proposal.person_name}；不填则保留原录入信息。`) : null, personFields({}));
  const show = () => {
    roster.hidden = source.value !== 'roster';
    fresh.hidden = source.value !== 'new';
  };
  source.addEventListener('change', show);
  show();
  return [field('联络员来源', source), roster, fresh];
}

// What the liaison controls say, as members of a proposal: person_id, or the new person's
// record; {} when a new person stored already is kept (keep, and neither name nor ID entered).
function liaisonOf(values, keep = false) {
  if (values.source === 'roster') return { person_id: values.person_id ? Number(values.person_id) : null };
  if (keep && values.name === null && values.id_number === null) return {};
  return { person: Object.fromEntries(PERSON_MEMBERS.filter((m) => values[m] !== null).map((m) => [m, values[m]])) };
}

// The proposals a clerk of the region where the organisation is registered may make: its
// committee (with its term and, perhaps, its chair from the roster) or its liaison officer.
// Each goes up the chain (by default the county approves); nothing is covered before that.
function coverageForms(org, done) {
  const committee = postForm('提议建立妇委会', `/new-organisations/${org.id}/coverage`, [
    field('成立日期', input('start_date', todayUtc(), { type: 'date' })),
    field('任期（年）', input('term_years', 5, { type: 'number', min: 3, max: 5 })),
    field('妇委会名称', input('name', `${org.name}妇女委员会`, { maxlength: 200 })),
    field('妇委会主任（可不填）', personPicker('chair_person_id', '')),
    field('说明', el('textarea', { name: 'note', rows: 2, maxlength: 1000 })),
  ], (v) => ({
    version: org.version, kind: 'committee', start_date: v.start_date, term_years: v.term_years, name: v.name,
    chair_person_id: v.chair_person_id ? Number(v.chair_person_id) : undefined, note: v.note ?? undefined,
  }), done, '已提交建立妇委会的申请，待上级审批。');
  const liaison = postForm('提议选派联络员', `/new-organisations/${org.id}/coverage`, [
    ...liaisonControls(null),
    field('任职日期', input('start_date', todayUtc(), { type: 'date' })),
    field('说明', el('textarea', { name: 'note', rows: 2, maxlength: 1000 })),
  ], (v) => ({
    version: org.version, kind: 'liaison_officer', start_date: v.start_date, ...liaisonOf(v), note: v.note ?? undefined,
  }), done, '已提交选派联络员的申请，待上级审批。');
  const kind = org.recommendation?.kind === 'liaison_officer' ? [liaison, committee] : [committee, liaison];
  return el('section', { 'aria-label': '覆盖' }, el('h3', {}, '提议覆盖'),
    el('p', { class: 'muted' }, '按建议提议建立妇女委员会，或选派妇女工作联络员；经上级审批后记入名册。'), kind);
}

// A returned proposal changed (PATCH .../coverage) and submitted again at once, the form filled
// with what the proposal holds. Its kind stays: for the other, withdraw it and propose anew.
function changeForm(org, proposal, done) {
  const committee = proposal.kind === 'committee';
  const chair = proposal.chair_person_id ? { person_id: proposal.chair_person_id, person_name: proposal.person_name } : null;
  const controls = committee ? [
    field('成立日期', input('start_date', proposal.start_date, { type: 'date' })),
    field('任期（年）', input('term_years', proposal.term_years, { type: 'number', min: 3, max: 5 })),
    field('妇委会名称', input('name', proposal.name ?? `${org.name}妇女委员会`, { maxlength: 200 })),
    field('妇委会主任（可不填）', personPicker('chair_person_id', '', chair)),
  ] : [...liaisonControls(proposal), field('任职日期', input('start_date', proposal.start_date, { type: 'date' }))];
  controls.push(field('说明', el('textarea', { name: 'note', rows: 2, maxlength: 1000 }, proposal.note ?? '')));
  return actionForm('修改申请', controls, async (v) => {
    const body = { version: proposal.version, start_date: v.start_date, note: v.note };
    Object.assign(body, committee
      ? { term_years: v.term_years, name: v.name, chair_person_id: v.chair_person_id ? Number(v.chair_person_id) : null }
      : liaisonOf(v, true));
    await api('PATCH', `/new-organisations/${org.id}/coverage`, { body });
    try {
      await api('POST', `/requests/${proposal.request.id}/submit`, { body: { version: proposal.request.version } });
    } catch (error) {
      done(`申请已修改，但未能重新提交：${error.message}`);
      return;
    }
    done('已修改并重新提交，待上级审批。');
  }, '修改并重新提交');
}

// The latest proposal: what it asks for, where it stands, and its request (steps, history and
// the actions the caller may take: decide the waiting step, withdraw before any decision or
// once returned); a returned one may be changed by the office that made it (mayChange).
function proposalSection(org, proposal, me, mayChange, done) {
  const what = nameIn(COVERAGE_REQUEST_KIND_NAMES, proposal.kind);
  const returned = proposal.request?.state === 'returned';
  return el('section', { 'aria-label': '覆盖申请' }, el('h3', {}, `覆盖申请 · ${what} · ${nameIn(COVERAGE_REQUEST_STAGE_NAMES, proposal.stage)}`),
    facts([
      [proposal.kind === 'committee' ? '成立日期' : '任职日期', proposal.start_date],
      proposal.term_years ? ['任期', `${proposal.term_years} 年`] : null,
      proposal.name ? ['妇委会名称', proposal.name] : null,
      proposal.person_name ? [proposal.kind === 'committee' ? '妇委会主任' : '联络员', proposal.person_name] : null,
      proposal.note ? ['说明', proposal.note] : null,
    ]),
    proposal.request ? requestSection(proposal.request, me, done) : null,
    returned && mayChange ? el('section', { 'aria-label': '修改申请' }, el('h3', {}, '修改申请'),
      el('p', { class: 'muted' }, '按退回意见修改后重新提交，从退回的环节继续办理；不再提议的，可撤回申请。'),
      changeForm(org, proposal, done)) : null);
}

function linkForm(org) {
  return postForm('联系执委', '/new-org-links', [
    field('县级妇联执委', personPicker('person_id', 'role=executive_member&level=county')),
    field('联系开始日期', input('start_date', todayUtc(), { type: 'date' })),
  ], (v) => ({ person_id: Number(v.person_id), new_org_id: org.id, start_date: v.start_date }),
  (message, link) => { window.location.hash = `#/new-organisations/links/${link.id}`; }, '');
}

export async function renderNewOrg(view, me, id) {
  const holder = el('div');
  view.append(holder);
  async function load(message) {
    let org;
    try {
      org = await api('GET', `/new-organisations/${id}`);
    } catch (error) {
      if (error.status !== 404) throw error;
      holder.replaceChildren(el('p', { class: 'notice error' }, '未找到该组织，或它不在您的管辖范围内。'));
      return;
    }
    const status = el('p', { class: 'notice ok', role: 'status', hidden: !message }, message || '');
    const done = (text) => load(text).catch((error) => showMessage(status, error.message));
    const rec = org.recommendation || {};
    const failing = (rec.failing_conditions || []).map((c) => nameIn(CONDITION_NAMES, c)).join('、');
    const covered = org.coverage?.state && org.coverage.state !== 'none';
    const proposal = org.coverage_request;
    const pending = proposal?.stage === 'proposed';
    // Until its chain approves a proposal the organisation is not covered: say what waits.
    const coverage = nameIn(COVERAGE_NAMES, org.coverage?.state) + (org.coverage?.covered_on ? `（${org.coverage.covered_on}）` : '')
      + (pending ? `（${nameIn(COVERAGE_REQUEST_KIND_NAMES, proposal.kind)}申请${proposal.request?.state === 'returned' ? '已退回' : '审批中'}）` : '');
    const office = isClerk(me) && me.region === org.region;
    const mayPropose = office && !pending;
    holder.replaceChildren(el('div', {},
      el('p', {}, el('a', { href: '#/new-organisations' }, '‹ 两新组织')),
      el('h2', {}, org.name), status,
      facts([
        ['统一社会信用代码', org.credit_code],
        ['类别', nameIn(NEW_ORG_KIND_NAMES, org.kind)],
        ['行业', org.sector],
        ['登记地', org.region_name || org.region],
        ['固定职工', `${org.employees} 人，其中女职工 ${org.female_employees} 人`],
        ['党组织评定', nameIn(PARTY_RATING_NAMES, org.party_rating)],
        ['两稳一适', Object.entries(CONDITION_NAMES).map(([k, label]) => `${label}：${org[k] ? '是' : '否'}`).join('；')],
        org.contact_name ? ['联系人', `${org.contact_name} ${org.contact_phone || ''}`] : null,
        ['覆盖', coverage],
        org.coverage?.committee_id ? ['妇委会', el('a', { href: `#/organisations/${org.coverage.committee_id}` }, '查看妇委会')] : null,
        ['联系执委', `${org.link_count} 人`],
      ]),
      el('section', { 'aria-label': '建议' }, el('h3', {}, '建议'),
        el('p', { class: 'recommendation' }, nameIn(RECOMMENDATION_NAMES, rec.kind), failing ? `（未具备：${failing}）` : '')),
      proposal ? proposalSection(org, proposal, me, office, done) : null,
      !covered && mayPropose ? coverageForms(org, done) : null,
      org.coverage?.state === 'committee' && isClerk(me) ? el('section', { 'aria-label': '联系执委' },
        el('h3', {}, '联系执委'), el('p', { class: 'muted' }, '每名县级妇联执委联系 1 至 3 个妇委会，每年走访每个至少两次。'),
        linkForm(org)) : null));
  }
  await load();
}

export async function renderLink(view, me, id) {
  const holder = el('div');
  view.append(holder);
  async function load(message) {
    let link;
    try {
      link = await api('GET', `/new-org-links/${id}`);
    } catch (error) {
      if (error.status !== 404) throw error;
      holder.replaceChildren(el('p', { class: 'notice error' }, '未找到该联系，或它不在您的管辖范围内。'));
      return;
    }
    const status = el('p', { class: 'notice ok', role: 'status', hidden: !message }, message || '');
    const done = (text) => load(text).catch((error) => showMessage(status, error.message));
    holder.replaceChildren(el('div', {},
      el('p', {}, el('a', { href: `#/new-organisations/${link.new_org_id}` }, `‹ ${link.new_org_name}`)),
      el('h2', {}, `${link.person_name ?? '（辖区外人员）'} 联系 ${link.new_org_name}`), status,
      facts([
        ['开始日期', link.start_date],
        link.end_date ? ['结束日期', link.end_date] : null,
        ['本年走访', `${link.visits_this_year} 次${link.visit_due ? '（不足两次）' : ''}`],
      ]),
      el('section', { 'aria-label': '走访记录' }, el('h3', {}, '走访记录'),
        link.visits.length ? el('ul', {}, link.visits.map((v) => el('li', {}, `${v.visited_on}：${v.notes || ''}（${v.recorded_by}）`)))
          : el('p', { class: 'muted' }, '还没有走访记录。')),
      isClerk(me) && !link.end_date ? postForm('记录走访', `/new-org-links/${link.id}/visits`, [
        field('走访日期', input('visited_on', todayUtc(), { type: 'date' })),
        field('情况', el('textarea', { name: 'notes', rows: 3, maxlength: 2000 })),
      ], (v) => ({ visited_on: v.visited_on, notes: v.notes ?? undefined }), done, '已记录走访。') : null));
  }
  await load();
}
