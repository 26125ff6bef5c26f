// The 两新组织 pages in a real browser, on the test stack: hunhewan-clerk registers an enterprise
// of her township 浑河湾街道 with 40 women and all three conditions, gets the recommendation of
// a women's committee and proposes it; the organisation shows the proposal waiting, not covered;
// heping-approver (the county) returns it, the clerk changes its term and submits it again (修改申请),
// and the approver finds it in her inbox and approves it as changed, and it is covered;
// heping-clerk links an executive member of the 和平区 federation to the committee and records
// her visit; a wrong credit code is shown at its field. Run by run.sh; see harness.mjs.
import { assert, check, navLink, run, shown, signIn, visible } from './harness.mjs';

const STAMP = Date.now();
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

// creditCode(serial): a valid unified social credit code (GB 32100) registered in 和平区.
function creditCode(serial) {
  const body = `91210102${String(serial).padStart(9, '0').slice(-9)}`;
  let sum = 0;
  let weight = 1;
  for (const c of body) {
    sum += ALPHABET.indexOf(c) * weight;
    weight = (weight * 3) % 31;
  }
  return body + ALPHABET[(31 - (sum % 31)) % 31];
}

const status = (page) => page.getByRole('status');

// switchUser(page, username): logs out and in again as another user, in the same page.
async function switchUser(page, username) {
  await page.getByRole('button', { name: '退出' }).click();
  await visible(page.getByLabel('用户名'));
  await signIn(page, username);
}

async function register(page, values) {
  await navLink(page, '两新组织').click();
  await shown(page, '#/new-organisations');
  await page.getByRole('link', { name: '登记新组织' }).click();
  await shown(page, '#/new-organisations/new');
  const form = page.getByRole('form', { name: '登记新组织' });
  for (const [label, value] of Object.entries(values)) await form.getByLabel(label, { exact: true }).fill(value);
  for (const label of ['经营稳定', '女职工队伍稳定', '有合适的妇委会主任人选']) await form.getByLabel(label).check();
  await form.getByRole('button', { name: '登记' }).click();
  return form;
}

async function committeeAndVisit(page) {
  await signIn(page, 'hunhewan-clerk');
  const name = `浏览器测试科技有限公司${STAMP % 100000}`;
  const values = {
    名称: name, 统一社会信用代码: creditCode(STAMP), 行业: '软件', 登记地区划代码: '210102001',
    固定职工人数: '60', 其中女职工: '40',
  };
  const wrong = creditCode(STAMP).slice(0, 17) + (creditCode(STAMP)[17] === '0' ? '1' : '0');
  const form = await register(page, { ...values, 统一社会信用代码: wrong });
  await check('a wrong check character is shown at the credit code', () =>
    visible(form.locator('.field').filter({ hasText: '统一社会信用代码' }).locator('.field-error')));
  await form.getByLabel('统一社会信用代码').fill(values.统一社会信用代码);
  await form.getByRole('button', { name: '登记' }).click();
  await page.waitForURL(/#\/new-organisations\/\d+$/);
  const orgUrl = new URL(page.url()).hash;
  await check('registered, 40 women and all three conditions give a women\'s committee', async () => {
    await visible(page.getByRole('heading', { level: 2 }), name);
    await visible(page.getByRole('region', { name: '建议' }), '建立妇委会');
  });

  const liaison = page.getByRole('form', { name: '提议选派联络员' });
  await liaison.getByLabel('联络员来源').selectOption({ label: '新录入' });
  await check('a liaison officer may be entered new, with her record', async () => {
    await visible(liaison.getByLabel('身份证号'));
    assert(!(await liaison.getByLabel('联络员', { exact: true }).isVisible()), 'the roster search still shows');
  });

  const proposing = page.getByRole('form', { name: '提议建立妇委会' });
  await proposing.getByLabel('任期（年）').fill('5');
  await proposing.getByRole('button', { name: '提议建立妇委会' }).click();
  await check('the township\'s proposal waits for the county; the organisation is not covered yet', async () => {
    await visible(status(page), '已提交建立妇委会的申请');
    await visible(page.locator('dl.facts').first(), '未覆盖（建立妇委会申请审批中）');
    const proposal = page.getByRole('region', { name: '覆盖申请' });
    await visible(proposal.getByRole('heading', { level: 3 }), '审批中');
    await visible(proposal.getByRole('table', { name: '两新组织建立妇委会环节' }), '待办');
  });

  // decide(action, comment): heping-approver opens the proposal from her inbox and decides it.
  async function decide(action, comment) {
    await switchUser(page, 'heping-approver');
    await navLink(page, '换届').click();
    await shown(page, '#/elections');
    const inboxLink = page.getByRole('table', { name: '待办' }).getByRole('link', { name });
    await check('the proposal is in the county approver\'s inbox, named by the organisation', () => visible(inboxLink));
    await inboxLink.click();
    await shown(page, orgUrl);
    const form = page.getByRole('form', { name: '办理' });
    await form.getByLabel('办理意见').selectOption({ label: action });
    if (comment) await form.getByLabel('理由').fill(comment);
    return form;
  }
  const returning = await decide('退回', '任期请改为3年');
  await returning.getByRole('button', { name: '提交意见' }).click();
  await check('the county returns the proposal', () => visible(status(page), '已退回'));

  await switchUser(page, 'hunhewan-clerk');
  await page.goto(`/${orgUrl}`);
  await shown(page, orgUrl);
  const change = page.getByRole('form', { name: '修改申请' });
  await check('the returned proposal can be changed, its form filled, or withdrawn', async () => {
    await visible(page.locator('dl.facts').first(), '建立妇委会申请已退回');
    await visible(page.getByRole('region', { name: '覆盖申请' }).getByRole('button', { name: '撤回' }));
    assert(await change.getByLabel('任期（年）').inputValue() === '5', 'the term is not filled in');
    assert(await change.getByLabel('妇委会名称').inputValue() === `${name}妇女委员会`, 'the name is not filled in');
  });
  await change.getByLabel('任期（年）').fill('3');
  await change.getByLabel('说明').fill('已按意见改为3年');
  await change.getByRole('button', { name: '修改并重新提交' }).click();
  await check('changed and submitted again, it waits for the county once more', async () => {
    await visible(status(page), '已修改并重新提交');
    const proposal = page.getByRole('region', { name: '覆盖申请' });
    await visible(proposal.locator('dl.facts'), '3 年');
    await visible(proposal, '修改申请');
    await visible(proposal.getByRole('table', { name: '两新组织建立妇委会环节' }), '待办');
    assert(!(await page.getByRole('form', { name: '修改申请' }).isVisible()), 'the change form still shows');
  });

  const decision = await decide('同意');
  await decision.getByLabel('办理意见').selectOption({ label: '同意' });
  await decision.getByRole('button', { name: '提交意见' }).click();
  await check('approved by the county, the organisation has its committee', async () => {
    await visible(status(page), '已同意');
    await visible(page.locator('dl.facts').first(), '已建妇委会');
    await visible(page.getByRole('region', { name: '覆盖申请' }).getByRole('heading', { level: 3 }), '已批准');
    const answer = await (await page.request.get(`/api/v1/new-organisations/${orgUrl.split('/').pop()}`)).json();
    const committee = await (await page.request.get(`/api/v1/organisations/${answer.coverage.committee_id}`)).json();
    assert(committee.term?.years === 3, `the committee's term: ${JSON.stringify(committee.term)}`);
  });

  await switchUser(page, 'heping-clerk');
  await page.goto(`/${orgUrl}`);
  await shown(page, orgUrl);
  const link = page.getByRole('form', { name: '联系执委' });
  await link.getByLabel('按姓名查找').fill('');
  await link.getByRole('button', { name: '查找' }).click();
  await check('the executive members of the county federation can be chosen', async () => {
    // Options of a closed select are never "visible": wait for them to be there.
    await link.locator('select option').filter({ hasText: '和平区妇女联合会 · 执委' }).first().waitFor({ state: 'attached' });
  });
  await link.getByRole('button', { name: '联系执委' }).click();
  await page.waitForURL(/#\/new-organisations\/links\/\d+$/);
  await check('the link opens with no visit yet', () => visible(page.locator('dl.facts'), '0 次（不足两次）'));
  const visit = page.getByRole('form', { name: '记录走访' });
  await visit.getByLabel('情况').fill('了解女职工需求');
  await visit.getByRole('button', { name: '记录走访' }).click();
  await check('the visit is recorded and counted', async () => {
    await visible(status(page), '已记录走访');
    await visible(page.getByRole('region', { name: '走访记录' }), '了解女职工需求');
    await visible(page.locator('dl.facts'), '1 次');
  });
  await page.getByRole('link', { name: `‹ ${name}` }).click();
  await check('the organisation counts its linked executive member', async () => {
    await page.waitForURL(/#\/new-organisations\/\d+$/);
    await visible(page.locator('dl.facts'), '1 人');
  });
  await navLink(page, '两新组织').click();
  await page.getByRole('link', { name: '覆盖统计' }).click();
  await shown(page, '#/new-organisations/statistics/210102');
  await check('the coverage statistics of 和平区 count the new committee and chart the rates', async () => {
    const api = await (await page.request.get('/api/v1/new-organisations/statistics?region=210102')).json();
    const hunhewan = api.children.find((r) => r.region === '210102001');
    assert(hunhewan.with_committee >= 1 && hunhewan.links >= 1, JSON.stringify(hunhewan));
    const row = page.getByRole('table', { name: '覆盖统计' }).getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: '浑河湾街道' }) });
    const cells = await row.getByRole('cell').allTextContents();
    assert(Number(cells[1]) === hunhewan.with_committee, `row: ${cells.join(' | ')}`);
    const label = await page.locator('.chart[aria-label]').getAttribute('aria-label');
    assert(label.includes('建会率') && label.includes('浑河湾街道'), `aria-label: ${label.slice(0, 200)}`);
  });
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: '下载报表（XLSX）' }).click();
  await check('the coverage statistics download as an XLSX report', async () => {
    const download = await downloading;
    assert(/^new-organisations-coverage-210102-|^两新组织覆盖统计-210102-/.test(download.suggestedFilename()),
      `file: ${download.suggestedFilename()}`);
  });
}

// idNumber(birth, serial): a valid resident ID number (GB 11643) of 和平区 born on birth.
function idNumber(birth, serial) {
  const body = `210102${birth.replaceAll('-', '')}${String(serial).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

// A small enterprise gets a liaison officer entered new with the proposal (联络员来源: 新录入);
// her record's mistakes are shown at their fields.
async function newLiaisonOfficer(page) {
  await signIn(page, 'hunhewan-clerk');
  const name = `浏览器测试小微企业${STAMP % 100000}`;
  await register(page, {
    名称: name, 统一社会信用代码: creditCode(STAMP + 1), 行业: '零售', 登记地区划代码: '210102001',
    固定职工人数: '12', 其中女职工: '6',
  });
  await page.waitForURL(/#\/new-organisations\/\d+$/);
  const form = page.getByRole('form', { name: '提议选派联络员' });
  await form.getByLabel('联络员来源').selectOption({ label: '新录入' });
  const id = idNumber('1993-03-03', 900 + (STAMP % 99));
  await form.getByLabel('姓名', { exact: true }).fill('罗小芳');
  await form.getByLabel('出生日期').fill('1993-03-03');
  await form.getByLabel('学历').selectOption({ index: 1 });
  await form.getByLabel('政治面貌').selectOption({ index: 1 });
  await form.getByLabel('身份证号').fill(`${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`);
  await form.getByRole('button', { name: '提议选派联络员' }).click();
  await check('a wrong ID number of the new person is shown at its field', () =>
    visible(form.locator('.field').filter({ hasText: '身份证号' }).locator('.field-error')));
  await form.getByLabel('身份证号').fill(id);
  await form.getByRole('button', { name: '提议选派联络员' }).click();
  await check('the new liaison officer is proposed, named on the proposal', async () => {
    await visible(status(page), '已提交选派联络员的申请');
    await visible(page.getByRole('region', { name: '覆盖申请' }).locator('dl.facts'), '罗小芳');
  });
}

// The work list of 浑河湾街道 lists the uncovered, rated excellent first.
async function worklist(page) {
  await signIn(page, 'hunhewan-clerk');
  await navLink(page, '两新组织').click();
  await shown(page, '#/new-organisations');
  await check('the registry offers its filtered list as XLSX and CSV', async () => {
    const href = await page.getByRole('link', { name: 'Excel（XLSX）' }).getAttribute('href');
    assert(href.startsWith('/api/v1/new-organisations/export?') && href.includes('format=xlsx'), `href: ${href}`);
  });
  await page.getByRole('link', { name: '未覆盖工作清单' }).click();
  await shown(page, '#/new-organisations/worklist/210102001');
  await check('the township\'s work list shows its uncovered organisations, excellent first', async () => {
    const table = page.getByRole('table', { name: '工作清单' });
    const answer = await (await page.request.get('/api/v1/new-organisations/worklist?region=210102001&limit=50')).json();
    assert(answer.items.length > 0, 'no uncovered organisation in 浑河湾街道: was the data generated?');
    await visible(table);
    const ratings = await table.locator('tbody tr td:nth-child(5)').allTextContents();
    const order = ['优秀', '达标', '无/未评定'];
    assert(ratings.every((r, i) => i === 0 || order.indexOf(ratings[i - 1]) <= order.indexOf(r)), `ratings: ${ratings}`);
    const covered = await table.locator('tbody tr td:nth-child(7)').allTextContents();
    assert(covered.every((c) => c === '未覆盖'), `coverage: ${covered}`);
  });
}

await run([
  ['hunhewan-clerk registers and proposes a committee, heping-approver returns it, the clerk changes it, heping-approver approves, heping-clerk links and visits', committeeAndVisit],
  ['hunhewan-clerk proposes a new person as liaison officer', newLiaisonOfficer],
  ['hunhewan-clerk opens the work list of her township', worklist],
]);
