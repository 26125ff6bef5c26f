// The 导入 page in a real browser, on the test stack: a clerk checks a cadre file with a wrong
// ID number, sees the error at its line and column and downloads the error list, then checks
// and imports the corrected file; another chooses 两新组织 and imports new organisations the
// same way; a viewer is not offered the page. Run by run.sh; see
// harness.mjs.
import { assert, check, navLink, run, shown, signIn, visible } from './harness.mjs';

const HEADER = '区划代码,组织名称,姓名,性别,出生日期,民族,文化程度,政治面貌,身份证号,手机号,职业,职务,专职,进两委,任职日期';
// Numbers unique to this run, so a second run on the same stack meets no duplicates.
const STAMP = Date.now();

// idNumber(birth, n): a valid resident ID number of a woman of 和平区 born on birth (GB 11643:
// the 17th digit even for a woman, then the MOD 11-2 check character).
function idNumber(birth, n) {
  const first17 = `210102${birth.replaceAll('-', '')}${String((n * 2) % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, digit, i) => s + Number(digit) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

// A wrong check character: any other than the right one.
const spoil = (id) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

function cadreFile(rows) {
  const lines = rows.map(([name, birth, id]) =>
    `210102001,,${name},女,${birth},汉族,本科,群众,${id},13900001111,教师,执委,否,否,2024-01-15`);
  return Buffer.from(`${[HEADER, ...lines].join('\n')}\n`);
}

const choose = (page, buffer) =>
  page.getByLabel('文件（CSV 或 XLSX）').setInputFiles({ name: 'cadres.csv', mimeType: 'text/csv', buffer });

async function rosterCount(page, name) {
  const answer = await (await page.request.get(`/api/v1/roster?name=${encodeURIComponent(name)}`)).json();
  return answer.items.length;
}

// importWithErrors: heping-clerk's file has one good row and one with a wrong ID number.
async function importWithErrors(page) {
  const good = [`导入甲${STAMP % 100000}`, '1985-03-12', idNumber('1985-03-12', STAMP % 500)];
  const bad = [`导入乙${STAMP % 100000}`, '1990-07-01', idNumber('1990-07-01', STAMP % 500)];
  await signIn(page, 'heping-clerk');
  await navLink(page, '导入').click();
  await shown(page, '#/import');

  await choose(page, cadreFile([good, [bad[0], bad[1], spoil(bad[2])]]));
  await page.getByRole('button', { name: '检查' }).click();
  const errors = page.getByRole('table', { name: '错误清单' });
  await check('the check shows the wrong ID number at its line and column', async () => {
    await visible(errors.getByRole('row').nth(1));
    const cells = await errors.getByRole('row').nth(1).getByRole('cell').allTextContents();
    assert(cells[0] === '3' && cells[1] === '9' && cells[2] === '身份证号', `row: ${cells.join(' | ')}`);
  });
  await check('导入 stays disabled and nothing was written', async () => {
    assert(await page.getByRole('button', { name: '导入' }).isDisabled(), '导入 is enabled');
    assert(await rosterCount(page, good[0]) === 0, 'the good row was written');
  });
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: '下载错误清单' }).click();
  await check('the error list downloads as a file naming the line and column', async () => {
    const download = await downloading;
    const text = await (await download.createReadStream()).toArray().then((parts) => Buffer.concat(parts).toString());
    assert(text.includes('身份证号') && /(^|\n)"?3"?,"?9"?,/.test(text), `the file: ${text.slice(0, 300)}`);
  });

  await choose(page, cadreFile([good, bad]));
  await page.getByRole('button', { name: '检查' }).click();
  await check('the corrected file passes the check, and nothing is written yet', async () => {
    await visible(page.getByRole('status'), '检查通过');
    assert(!(await errors.isVisible()), 'the old errors are still shown');
    assert(await rosterCount(page, good[0]) === 0, 'the dry run wrote');
  });
  await page.getByRole('button', { name: '导入' }).click();
  await check('导入 writes both cadres and says what it did', async () => {
    await visible(page.getByRole('status'), '导入完成。共 2 行：新增 2 人');
    assert(await rosterCount(page, good[0]) === 1 && await rosterCount(page, bad[0]) === 1, 'not on the roster');
  });
}

// progressOfALargeFile: a dry run of 1,200 rows shows the server's progress as it checks them
// (a line after the first row, every 500 and after the last), and the bar ends full. The status
// texts are recorded as the page sets them, so none is missed however fast it goes.
async function progressOfALargeFile(page) {
  const rows = Array.from({ length: 1200 }, (_, i) => {
    const birth = new Date(Date.UTC(1960, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    return [`进度${i}`, birth, idNumber(birth, (STAMP + 7) % 500)];
  });
  await signIn(page, 'heping-clerk');
  await navLink(page, '导入').click();
  await shown(page, '#/import');
  await page.evaluate(() => {
    const node = document.querySelector('p[role="status"]');
    window.statusTexts = [];
    // Each text the status was given is a text node of its own (textContent replaces them),
    // so the records hold every one even when several came in one task.
    new MutationObserver((records) => records.forEach((r) =>
      r.addedNodes.forEach((added) => window.statusTexts.push(added.textContent))))
      .observe(node, { childList: true });
  });
  await choose(page, cadreFile(rows));
  await page.getByRole('button', { name: '检查' }).click();
  await check('the check passes all 1,200 rows', () => visible(page.getByRole('status'), '检查通过'));
  await check('the page showed the rows as the server checked them', async () => {
    const texts = await page.evaluate(() => window.statusTexts);
    for (const want of ['校验中 1 / 1,200 行', '校验中 500 / 1,200 行', '校验中 1,000 / 1,200 行', '校验中 1,200 / 1,200 行']) {
      assert(texts.includes(want), `"${want}" not among ${JSON.stringify(texts)}`);
    }
  });
  await check('the progress bar stays, full', async () => {
    const bar = page.getByRole('progressbar', { name: '处理进度' });
    await visible(bar);
    const [value, max] = await bar.evaluate((node) => [node.value, node.max]);
    assert(value === max, `value ${value} of ${max}`);
  });
}

// creditCode(serial): a valid unified social credit code (GB 32100) registered in 和平区.
function creditCode(serial) {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const body = `93210102${String(serial).padStart(9, '0').slice(-9)}`;
  let sum = 0;
  let weight = 1;
  for (const c of body) {
    sum += alphabet.indexOf(c) * weight;
    weight = (weight * 3) % 31;
  }
  return body + alphabet[(31 - (sum % 31)) % 31];
}

// importNewOrgs: hunhewan-clerk chooses 两新组织, gets its template, checks a file with a
// wrong credit code, then imports the corrected one.
async function importNewOrgs(page) {
  const NEW_ORG_HEADER = '区划代码,组织名称,统一社会信用代码,类别,行业,固定职工人数,女职工人数,党组织评定,经营稳定,女职工队伍稳定,有合适的妇委会主任人选,联系人,联系电话';
  const name = `导入测试商贸有限公司${STAMP % 100000}`;
  const code = creditCode(STAMP);
  const file = (credit) => Buffer.from(`${NEW_ORG_HEADER}\n210102001,${name},${credit},新经济组织,商贸,50,31,达标,是,是,是,李红,13800001234\n`);
  await signIn(page, 'hunhewan-clerk');
  await navLink(page, '导入').click();
  await shown(page, '#/import');
  await page.getByLabel('导入内容').selectOption('new-organisations');
  await shown(page, '#/import?kind=new-organisations');
  await check('the page offers the template of new organisations', async () => {
    await visible(page.getByRole('heading', { name: '导入两新组织' }));
    const href = await page.getByRole('link', { name: '下载两新组织模板（CSV）' }).getAttribute('href');
    assert(href === '/api/v1/imports/new-organisations/template', `href: ${href}`);
  });
  await choose(page, file(code.slice(0, 17) + (code[17] === '0' ? '1' : '0')));
  await page.getByRole('button', { name: '检查' }).click();
  await check('the wrong credit code is shown at its line and column', async () => {
    // The table appears when the check's answer has come: wait for its first row of errors.
    const row = page.getByRole('table', { name: '错误清单' }).getByRole('row').nth(1);
    await visible(row);
    const cells = await row.getByRole('cell').allTextContents();
    assert(cells[0] === '2' && cells[1] === '3' && cells[2] === '统一社会信用代码', `row: ${cells.join(' | ')}`);
  });
  await choose(page, file(code));
  await page.getByRole('button', { name: '检查' }).click();
  await visible(page.getByRole('status'), '检查通过');
  await page.getByRole('button', { name: '导入' }).click();
  await check('导入 registers the organisation', async () => {
    await visible(page.getByRole('status'), '导入完成。共 1 行：新增 1 个');
    const answer = await (await page.request.get(`/api/v1/new-organisations?name=${encodeURIComponent(name)}`)).json();
    assert(answer.items.length === 1 && answer.items[0].credit_code === code, JSON.stringify(answer.items));
  });
}

// viewerHasNoImport: heping-viewer has no 导入 in the navigation, and a typed address says why.
async function viewerHasNoImport(page) {
  await signIn(page, 'heping-viewer');
  await check('a viewer is not offered 导入', async () => {
    await visible(navLink(page, '干部名册'));
    assert(await navLink(page, '导入').count() === 0, '导入 is offered');
  });
  await page.goto('/#/import');
  await check('a typed address says the page is for clerks', () =>
    visible(page.getByText('此页面仅限具有“录入”权限的用户使用')));
}

await run([
  ['heping-clerk imports a file with an error, then the corrected one', importWithErrors],
  ['heping-clerk sees the progress of a large file', progressOfALargeFile],
  ['hunhewan-clerk imports new organisations', importNewOrgs],
  ['heping-viewer has no import', viewerHasNoImport],
]);
