// The 统计 page in a real browser, on the test stack's data (regions of 辽宁省, generated
// organisations and cadres for 沈阳市): a drill-down from the province to a township's
// communities, with the table's figures as the API gives them and the chart of the rates; a
// user of a sibling county is told that 和平区 is not hers. Run by run.sh; see harness.mjs.
import { assert, check, navLink, run, shown, signIn, visible } from './harness.mjs';

const heading2 = (page) => page.getByRole('heading', { level: 2 });
const figures = (page) => page.getByRole('table', { name: '统计表' });
const rowOf = (page, name) => figures(page).getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });

// The cells of a row of the table, after its heading.
async function cells(page, name) {
  return rowOf(page, name).getByRole('cell').allTextContents();
}

// drill(page, name, hash): follows the link of a child region in the table to its page.
async function drill(page, name, hash) {
  await figures(page).getByRole('link', { name, exact: true }).click();
  await shown(page, hash);
}

// drillDown: liaoning-admin goes from 辽宁省 down to 浑河湾街道; on the way the figures match the
// API's and the chart names the child regions.
async function drillDown(page) {
  await signIn(page, 'liaoning-admin');
  await navLink(page, '统计').click();
  await check('统计 starts at her own region 辽宁省, with a row per city', async () => {
    await shown(page, '#/statistics');
    await visible(heading2(page), '辽宁省');
    await visible(rowOf(page, '沈阳市'));
    await visible(rowOf(page, '合计'));
  });

  await drill(page, '沈阳市', '#/statistics/2101');
  await check('沈阳市 lists its districts, and 和平区\'s figures are the API\'s', async () => {
    await visible(heading2(page), '沈阳市');
    const api = await (await page.request.get('/api/v1/statistics/2101')).json();
    const heping = api.children.find((c) => c.name === '和平区');
    const shownCells = await cells(page, '和平区');
    assert(Number(shownCells[0]) === heping.figures.organisations.total,
      `organisations: ${shownCells[0]} shown, ${heping.figures.organisations.total} counted`);
    assert(Number(shownCells[7]) === heping.figures.cadres.total,
      `cadres: ${shownCells[7]} shown, ${heping.figures.cadres.total} counted`);
    assert(heping.figures.cadres.total > 0, 'no cadres counted under 和平区');
  });
  await check('the chart describes the rates of the districts', async () => {
    const chart = page.locator('.chart[aria-label]');
    await visible(chart);
    const label = await chart.getAttribute('aria-label');
    assert(label.includes('和平区') && label.includes('建会率'), `aria-label: ${label.slice(0, 200)}`);
  });

  await drill(page, '和平区', '#/statistics/210102');
  await drill(page, '浑河湾街道', '#/statistics/210102001');
  await check('a township lists its communities, which have nothing below to drill to', async () => {
    await visible(heading2(page), '浑河湾街道');
    await visible(rowOf(page, '水源地社区'));
    assert(await figures(page).getByRole('link').count() === 0, 'a community is linked');
  });
  await check('the breadcrumbs lead back to 辽宁省', () =>
    visible(page.getByRole('navigation', { name: '上级区划' }).getByRole('link', { name: '辽宁省' })));
}

// siblingCounty: shenhe-viewer of 沈河区 asks for 和平区's statistics.
async function siblingCounty(page) {
  await signIn(page, 'shenhe-viewer');
  await page.goto('/#/statistics/210102');
  await check('a sibling county\'s statistics are not found', async () => {
    await shown(page, '#/statistics/210102');
    await visible(page.locator('main'), '不在您的管辖范围内');
    assert(await figures(page).count() === 0, 'a table is shown');
  });
}

await run([
  ['liaoning-admin drills down from the province to a township', drillDown],
  ['shenhe-viewer cannot see 和平区', siblingCounty],
]);
