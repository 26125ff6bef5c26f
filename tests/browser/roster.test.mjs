// The 组织 and 干部名册 pages in a real browser, on the test stack's generated data for 沈阳市
// (2101): the organisation tree and an organisation's office holders, the roster with its
// filters and pages, a clerk's edits of a cadre, and the server's complaints shown at the field
// they concern. Run by run.sh; see harness.mjs.
import { assert, check, loggedIn, navLink, run, shown, signIn, visible } from './harness.mjs';

const region = (page, name) => page.getByRole('region', { name });
const heading2 = (page) => page.getByRole('heading', { level: 2 });
// A row of a table that contains text.
const rowWith = (scope, text) => scope.getByRole('row').filter({ hasText: text });

// Numbers unique to this run, so a second run on the same stack meets no duplicates.
const STAMP = Date.now();

// checkDigit(first17): the check character of a resident ID number (GB 11643, MOD 11-2).
function checkDigit(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, digit, i) => s + Number(digit) * weights[i], 0);
  return '10X98765432'[sum % 11];
}

// organisationsTree: heping-viewer drills from 和平区 to a township and a village, opens an
// organisation and sees its office holders; shenhe-viewer, of the sibling county, is told the
// 和平区 federation is not found.
async function organisationsTree(page, browser) {
  await signIn(page, 'heping-viewer');
  await navLink(page, '组织').click();
  await check('组织 starts at her own region 和平区', async () => {
    await shown(page, '#/organisations');
    await visible(heading2(page), '和平区');
  });
  const ownHeping = region(page, '本级组织').getByRole('link');
  await check('和平区 shows its own federation', () => visible(ownHeping, '妇'));
  const hepingFederation = await ownHeping.first().getAttribute('href');
  await check('the child regions are listed, each with its organisation', async () => {
    const row = rowWith(region(page, '下级区划'), '浑河湾街道');
    await visible(row.getByRole('link', { name: '浑河湾街道妇' }));
  });

  await region(page, '下级区划').getByRole('link', { name: '浑河湾街道', exact: true }).click();
  await check('a township opens with its communities', async () => {
    await shown(page, '#/organisations/region/210102001');
    await visible(heading2(page), '浑河湾街道');
    await visible(rowWith(region(page, '下级区划'), '水源地社区'));
  });
  await check('the breadcrumbs lead back to 和平区', () =>
    visible(page.getByRole('navigation', { name: '上级区划' }).getByRole('link', { name: '和平区' })));

  await region(page, '下级区划').getByRole('link', { name: '水源地社区', exact: true }).click();
  await check('a community opens with its own organisation and no child regions', async () => {
    await shown(page, '#/organisations/region/210102001002');
    await visible(heading2(page), '水源地社区');
    await visible(region(page, '本级组织').getByRole('link'));
    assert(await region(page, '下级区划').count() === 0, 'a village shows a 下级区划 section');
  });

  await region(page, '本级组织').getByRole('link').first().click();
  const current = region(page, '现任');
  await check('the organisation page shows its data', async () => {
    await page.waitForURL(/#\/organisations\/\d+$/);
    await visible(page.locator('dl.facts'), '下次换届');
    await visible(page.locator('dl.facts'), '村级');
  });
  await check('its current office holders are listed, each linked to her record', async () => {
    const names = current.locator('tbody tr td:first-child a');
    await visible(names);
    assert(/^#\/cadres\/\d+$/.test(await names.first().getAttribute('href')), 'the link leads elsewhere');
  });
  await check('the past office holders have their own section', () => visible(region(page, '历任')));
  await check('a viewer is offered no edits, and no gap shows where they would be', async () => {
    assert(await page.getByRole('button', { name: '编辑' }).count() === 0, 'the 编辑 button is shown');
    assert(!(await page.locator('main').textContent()).includes('null'), 'the page shows "null"');
    assert(await page.getByRole('link', { name: '添加干部' }).count() === 0, 'the 添加干部 link is shown');
  });

  const sibling = await loggedIn(browser, 'shenhe-viewer');
  try {
    await sibling.goto(`/${hepingFederation}`);
    await check('for shenhe-viewer the 和平区 federation is not found', () =>
      visible(sibling.getByText('未找到该组织')));
    await sibling.goto('/#/organisations/region/210102');
    await check('for shenhe-viewer the 和平区 tree is out of her jurisdiction', () =>
      visible(sibling.getByText('不在您的管辖范围内')));
  } finally {
    await sibling.context().close();
  }
}

// treeLoadMore: pages are cut small on the way to the server (4 child regions, 3 organisations),
// so 和平区's 10 townships come in three pages and their organisations in several, which the
// page must still put in the right rows.
async function treeLoadMore(page) {
  const limit = (n) => (route) => {
    const url = new URL(route.request().url());
    url.searchParams.set('limit', String(n));
    return route.continue({ url: url.toString() });
  };
  await page.route('**/api/v1/regions/210102/children?*', limit(4));
  await page.route('**/api/v1/organisations?*', limit(3));
  await signIn(page, 'heping-viewer');
  await page.goto('/#/organisations/region/210102');
  const children = region(page, '下级区划');
  const more = children.getByRole('button', { name: '加载更多' });
  await check('加载更多 appears under the child regions', async () => {
    await visible(children.getByText('已显示 4 个下级区划'));
    await visible(more);
  });
  await more.click();
  await visible(children.getByText('已显示 8 个下级区划'));
  await more.click();
  await check('加载更多 brings the following pages, then goes away', async () => {
    await visible(children.getByText('共 10 个下级区划'));
    assert(!(await more.isVisible()), 'the button is still shown');
  });
  await check('each township\'s row names its own federation', async () => {
    const rows = await children.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.cells[0].textContent, tr.cells[2].textContent]));
    assert(rows.length === 10, `${rows.length} rows`);
    const wrong = rows.filter(([name, orgs]) => !orgs.includes(`${name}妇`));
    assert(wrong.length === 0, `rows without their federation: ${wrong.map((r) => r.join(': '))}`);
  });
}

// filterChairs(page): the roster filtered through its form to chairs on the two committees.
async function filterChairs(page) {
  await navLink(page, '干部名册').click();
  const filters = page.getByRole('search', { name: '筛选' });
  await filters.getByLabel('职务').selectOption('chair');
  await filters.getByLabel('进两委').selectOption('true');
  await filters.getByRole('button', { name: '查询' }).click();
  await shown(page, '#/cadres?role=chair&in_two_committees=true');
  return page.getByRole('table', { name: '干部名册' });
}

// rosterPages: the filters land in the address and the table; 下一页 follows the cursor; a
// viewer sees masked ID numbers.
async function rosterPages(page) {
  await signIn(page, 'heping-viewer');
  const table = await filterChairs(page);
  const rows = table.locator('tbody tr');
  await check('the filtered roster lists only chairs on the two committees', async () => {
    await visible(rows);
    const roles = await rows.locator('td:nth-child(5)').allTextContents();
    const inTwo = await rows.locator('td:nth-child(7)').allTextContents();
    assert(roles.every((r) => r === '主席'), `roles: ${[...new Set(roles)]}`);
    assert(inTwo.every((r) => r === '是'), `进两委: ${[...new Set(inTwo)]}`);
  });
  await check('a viewer sees ID numbers masked', async () => {
    const ids = await rows.locator('td:nth-child(10)').allTextContents();
    assert(ids.every((id) => /^\d{6}\*{8}[\dX]{4}$/.test(id)), `unmasked: ${ids.find((id) => !id.includes('*'))}`);
  });
  await check('the filter form keeps the filters', async () => {
    assert(await page.getByLabel('职务').inputValue() === 'chair', 'role filter lost');
  });
  const firstRow = await rows.first().textContent();
  await page.getByRole('navigation', { name: '翻页' }).getByRole('link', { name: '下一页' }).click();
  await check('下一页 shows the next page through the cursor', async () => {
    await page.waitForURL(/cursor=/);
    await visible(page.getByRole('link', { name: '第一页' }));
    await visible(rows);
    assert(await rows.first().textContent() !== firstRow, 'the same page again');
  });
}

// clerkEditsCadre: heping-clerk opens a chair on the two committees from the filtered roster,
// changes her mobile number, ends a position and adds a training; heping-viewer sees the
// number masked.
async function clerkEditsCadre(page, browser) {
  await signIn(page, 'heping-clerk');
  const table = await filterChairs(page);
  const link = table.locator('tbody tr td:first-child a').first();
  const name = await link.textContent();
  await link.click();
  await page.waitForURL(/#\/cadres\/\d+$/);
  const cadreUrl = new URL(page.url()).hash;
  await check(`the cadre page of ${name} shows her record and positions`, async () => {
    await visible(heading2(page), name);
    await visible(region(page, '现任职务').getByRole('cell', { name: '主席', exact: true }));
  });

  const mobile = `139${String(STAMP).slice(-8)}`;
  await page.getByRole('button', { name: '编辑' }).click();
  const edit = page.getByRole('form', { name: '编辑个人信息' });
  await edit.getByLabel('手机号').fill(mobile);
  await edit.getByRole('button', { name: '保存' }).click();
  await check('saving the mobile number says so', () => visible(page.getByRole('status'), '已保存'));
  await page.reload();
  await check('after a reload the new mobile number is shown', () =>
    visible(page.locator('dl.facts'), mobile));

  const chair = rowWith(region(page, '现任职务'), '主席').first();
  const organisation = await chair.locator('td').first().textContent();
  await chair.getByRole('button', { name: '结束任职' }).click();
  const end = page.getByRole('form', { name: /^结束任职/ });
  await end.getByLabel('离任原因').fill('换届');
  await end.getByRole('button', { name: '结束任职' }).click();
  await check('an ended position moves to the history with its reason', async () => {
    await visible(page.getByRole('status'), '已结束任职');
    const ended = rowWith(region(page, '任职历史'), organisation);
    await visible(ended, '换届');
    await visible(ended, '主席');
  });

  const course = `浏览器测试培训 ${STAMP}`;
  await page.getByRole('button', { name: '添加培训' }).click();
  const training = page.getByRole('form', { name: '添加培训' });
  await training.getByLabel('课程').fill(course);
  await training.getByLabel('学时').fill('4');
  await training.getByLabel('组织层级').selectOption('county');
  await training.getByRole('button', { name: '添加' }).click();
  await check('the new training record is listed', async () => {
    await visible(page.getByRole('status'), '已添加培训记录');
    await visible(rowWith(region(page, '培训记录'), course), '县级');
  });

  const viewer = await loggedIn(browser, 'heping-viewer');
  try {
    await viewer.goto(`/${cadreUrl}`);
    const facts = viewer.locator('dl.facts');
    await check('heping-viewer sees the mobile number masked', async () => {
      await visible(facts, `${mobile.slice(0, 3)}****${mobile.slice(-4)}`);
      assert(!(await facts.textContent()).includes(mobile), 'the full number is shown');
    });
    await check('heping-viewer is offered no edits', async () => {
      assert(await viewer.getByRole('button', { name: /编辑|添加培训|结束任职/ }).count() === 0, 'an edit button is shown');
      assert(!(await viewer.locator('main').textContent()).includes('null'), 'the page shows "null"');
    });
  } finally {
    await viewer.context().close();
  }
}

// renameOrganisation(page, id, name): what another clerk does meanwhile: renames the
// organisation through the API, with the session of this page.
function renameOrganisation(page, id, name) {
  return page.evaluate(async ([orgId, newName]) => {
    const org = await (await fetch(`/api/v1/organisations/${orgId}`)).json();
    const res = await fetch(`/api/v1/organisations/${orgId}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
      body: JSON.stringify({ version: org.version, name: newName }),
    });
    return res.status;
  }, [id, name]);
}

// staleVersion: the organisation changed since the clerk opened her form; saving says to reload
// and changes nothing.
async function staleVersion(page) {
  await signIn(page, 'heping-clerk');
  await page.goto('/#/organisations/region/210102001');
  await region(page, '本级组织').getByRole('link').first().click();
  await page.waitForURL(/#\/organisations\/\d+$/);
  const id = new URL(page.url()).hash.split('/').pop();
  await page.getByRole('button', { name: '编辑' }).click();
  const form = page.getByRole('form', { name: '编辑组织' });
  const name = await form.getByLabel('名称').inputValue();
  const theirs = `${name}（他人修改）`;
  const status = await renameOrganisation(page, id, theirs);
  assert(status === 200, `the other clerk's change answered ${status}`);
  try {
    await form.getByLabel('名称').fill(`${name}（本人修改）`);
    await form.getByRole('button', { name: '保存' }).click();
    await check('a stale version tells the user to reload', () =>
      visible(form.getByRole('alert'), '请刷新页面'));
    await page.reload();
    await check('after the reload the other clerk\'s change is shown, not hers', async () => {
      await visible(heading2(page), theirs);
      assert(await heading2(page).textContent() === theirs, `the name is ${await heading2(page).textContent()}`);
    });
  } finally {
    await renameOrganisation(page, id, name);
  }
}

// addCadreValidation: a wrong ID number is refused at its field; corrected, the cadre is added.
async function addCadreValidation(page) {
  await signIn(page, 'heping-clerk');
  await page.goto('/#/organisations/region/210102001');
  await region(page, '本级组织').getByRole('link').first().click();
  await page.getByRole('link', { name: '添加干部' }).click();
  const form = page.getByRole('form', { name: '添加干部' });
  // Born on a day of 1990 that depends on the run, in 大连市中山区, where nobody is generated.
  const day = String(1 + (STAMP % 28)).padStart(2, '0');
  const first17 = `210202199001${day}${String(STAMP % 1000).padStart(3, '0')}`;
  const good = first17 + checkDigit(first17);
  const wrong = first17 + (checkDigit(first17) === '0' ? '1' : '0');
  const name = `测试${String(STAMP).slice(-4)}`;
  await form.getByLabel('姓名').fill(name);
  await form.getByLabel('出生日期').fill(`1990-01-${day}`);
  await form.getByLabel('学历').selectOption('bachelor');
  await form.getByLabel('政治面貌').selectOption('masses');
  await form.getByLabel('身份证号').fill(wrong);
  await form.getByLabel('职务', { exact: true }).selectOption('executive_member');
  await form.getByRole('button', { name: '添加' }).click();
  const idField = form.locator('.field', { has: page.getByLabel('身份证号') });
  await check('a wrong check character is shown at the ID number field', async () => {
    await visible(idField.getByRole('alert'), '校验位不正确');
    assert(await form.getByLabel('身份证号').getAttribute('aria-invalid') === 'true', 'field not marked');
  });
  await check('no other field complains', async () => {
    assert(await form.locator('.field-error:visible').count() === 1, 'more than one complaint');
  });
  await form.getByLabel('身份证号').fill(good);
  await form.getByRole('button', { name: '添加' }).click();
  await check('corrected, the cadre is added and her page opens', async () => {
    await page.waitForURL(/#\/cadres\/\d+$/);
    await visible(heading2(page), name);
    await visible(rowWith(region(page, '现任职务'), '执委'));
  });
}

await run([
  ['heping-viewer browses the organisation tree', organisationsTree],
  ['加载更多 in the organisation tree', treeLoadMore],
  ['the roster filtered and paged', rosterPages],
  ['heping-clerk edits a cadre', clerkEditsCadre],
  ['a stale version is refused', staleVersion],
  ['a wrong ID number is shown at its field', addCadreValidation],
]);
