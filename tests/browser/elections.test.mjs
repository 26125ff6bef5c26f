// The 换届 pages in a real browser, on the test stack: a whole re-election of 水源地社区 walked by
// three demo users. The community's clerk drafts the plan from the organisation page and
// submits it; the township's approver returns it with a reason; the clerk resubmits; the
// approver approves; the clerk records the result and submits it; the approver files it and
// the roster rolls over; the county's approver sees it in the oversight of 和平区. Run by
// run.sh; see harness.mjs.
import { assert, check, loggedIn, navLink, run, shown, signIn, visible } from './harness.mjs';

const heading2 = (page) => page.getByRole('heading', { level: 2 });
const status = (page) => page.getByRole('status');
const planSection = (page) => page.getByRole('region', { name: '换届方案' });
const resultSection = (page) => page.getByRole('region', { name: '选举结果' });

function inDays(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

// A re-election left open by an interrupted earlier run would block a new one: the clerk
// withdraws her plans that nobody has decided yet.
async function withdrawLeftovers(page) {
  const mine = await (await page.request.get('/api/v1/requests?list=submitted&limit=200')).json();
  for (const r of mine.items.filter((i) => i.kind === 'reelection_plan' && ['draft', 'in_progress'].includes(i.state))) {
    await page.request.post(`/api/v1/requests/${r.id}/withdraw`,
      { headers: { 'X-Requested-With': 'XMLHttpRequest' }, data: { version: r.version } });
  }
}

// decide(page, electionUrl, action, reason): the approver opens the re-election at its address
// and gives her decision on the pending step.
async function decide(page, electionUrl, action, reason) {
  // At the same address goto would not load the page again: the request moved on meanwhile.
  if (new URL(page.url()).hash === electionUrl) await page.reload();
  else await page.goto(`/${electionUrl}`);
  await shown(page, electionUrl);
  const form = page.getByRole('form', { name: '办理' });
  await form.getByLabel('办理意见').selectOption({ label: action });
  if (reason) await form.getByLabel('理由').fill(reason);
  await form.getByRole('button', { name: '提交意见' }).click();
  await visible(status(page), `已${action}`);
}

async function wholeChain(clerk, browser) {
  await signIn(clerk, 'shuiyuandi-clerk');
  await withdrawLeftovers(clerk);
  await navLink(clerk, '组织').click();
  await shown(clerk, '#/organisations');
  await clerk.getByRole('region', { name: '本级组织' }).getByRole('link').first().click();
  await clerk.getByRole('link', { name: '发起换届' }).click();
  const plan = clerk.getByRole('form', { name: '换届方案' });
  await check('发起换届 opens the plan form with the office holders as candidates', async () => {
    await visible(heading2(clerk), '换届方案');
    assert(await plan.getByRole('table', { name: '现任人员' }).getByRole('row').count() > 5, 'too few holders');
  });
  await plan.getByLabel('计划换届日期').fill(inDays(30));
  await plan.getByLabel('任期（年）').fill('5');
  await plan.getByLabel('执委').fill('3');
  await plan.getByRole('button', { name: '保存草稿' }).click();
  await clerk.waitForURL(/#\/elections\/\d+$/);
  const electionUrl = new URL(clerk.url()).hash;
  await shown(clerk, electionUrl);
  await check('the draft shows its candidates and a plan waiting to be submitted', async () => {
    await visible(planSection(clerk).getByRole('heading'), '草稿');
    await visible(clerk.getByRole('region', { name: '候选人' }).getByRole('cell', { name: '主席', exact: true }));
  });
  await planSection(clerk).getByRole('button', { name: '提交', exact: true }).click();
  await check('the clerk submits the plan', () => visible(status(clerk), '已提交'));

  const township = await loggedIn(browser, 'hunhewan-approver');
  await navLink(township, '换届').click();
  await shown(township, '#/elections');
  await check('the plan is in the township approver\'s inbox', () =>
    visible(township.getByRole('table', { name: '待办' }).getByRole('link', { name: '水源地社区妇' })));
  await decide(township, electionUrl, '退回', '请补充候选人简历');
  await check('the returned plan shows the reason in its history', () =>
    visible(planSection(township).getByRole('list'), '请补充候选人简历'));

  await clerk.reload();
  await shown(clerk, electionUrl);
  await planSection(clerk).getByRole('button', { name: '重新提交' }).click();
  await check('the clerk resubmits the returned plan', () => visible(status(clerk), '已提交'));

  await decide(township, electionUrl, '同意');
  await check('approved, the re-election waits for its election', () =>
    visible(township.locator('dl.facts'), '待选举'));

  await clerk.reload();
  await shown(clerk, electionUrl);
  const result = clerk.getByRole('form', { name: '选举结果' });
  const votes = result.getByRole('spinbutton');
  for (let i = 0; i < await votes.count(); i++) await votes.nth(i).fill(String(100 - i));
  await result.getByRole('button', { name: '保存选举结果' }).click();
  await check('the result is recorded', () => visible(status(clerk), '选举结果已保存'));
  await resultSection(clerk).getByRole('button', { name: '提交', exact: true }).click();
  await check('and submitted for filing', () => visible(status(clerk), '已提交'));

  await decide(township, electionUrl, '备案');
  await check('filed with the township, the re-election is done and the roster rolled over', async () => {
    await visible(township.locator('dl.facts'), '已完成');
    const id = electionUrl.split('/').pop();
    const election = await (await township.request.get(`/api/v1/reelections/${id}`)).json();
    const org = await (await township.request.get(`/api/v1/organisations/${election.organisation_id}`)).json();
    const elected = election.candidates.filter((c) => c.elected_seat).map((c) => c.person_id).sort();
    const holders = org.office_holders.current.map((h) => h.person_id).sort();
    assert(JSON.stringify(elected) === JSON.stringify(holders), `holders ${holders} elected ${elected}`);
    assert(org.term?.start === election.election_date && org.term.years === election.term_years,
      `term: ${JSON.stringify(org.term)}`);
  });
  await township.context().close();

  const county = await loggedIn(browser, 'heping-approver');
  await navLink(county, '换届').click();
  await county.getByRole('link', { name: '换届督查' }).click();
  await shown(county, '#/elections/oversight/210102');
  await check('the county approver sees the township\'s re-election done in the oversight', async () => {
    const row = county.getByRole('table', { name: '换届督查' }).getByRole('row')
      .filter({ has: county.getByRole('rowheader', { name: '浑河湾街道' }) });
    const cells = await row.getByRole('cell').allTextContents();
    assert(Number(cells[5]) >= 1, `浑河湾街道: ${cells.join(' | ')}`);
    const label = await county.locator('.chart[aria-label]').getAttribute('aria-label');
    assert(label.includes('按期换届率'), `aria-label: ${label.slice(0, 200)}`);
  });
  const downloading = county.waitForEvent('download');
  await county.getByRole('link', { name: 'Excel（XLSX）' }).click();
  await check('the oversight downloads as a workbook', async () => {
    const file = await downloading;
    const bytes = Buffer.concat(await (await file.createReadStream()).toArray());
    assert(bytes.subarray(0, 2).toString('latin1') === 'PK', `${bytes.length} bytes`);
    assert(file.suggestedFilename().endsWith('.xlsx'), file.suggestedFilename());
  });
  await county.context().close();
}

await run([
  ['a re-election walked by a village clerk, a township and a county approver', wholeChain],
]);
