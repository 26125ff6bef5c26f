// The web UI in a real browser: Debian's chromium, headless, driven by playwright-core, against
// the test stack (nginx, jiceng, MariaDB, slapd with the demo directory). Run by run.sh.
// Each scenario gets a fresh browser context (no cookies); see harness.mjs.
import {
  BASE_URL, TIMEOUT, assert, check, header, logIn, navLink, onSite, run, shown, visible,
} from './harness.mjs';

async function wrongPassword(page) {
  await page.goto('/login.html');
  // The answer is held back until the button has been seen disabled.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/api/v1/session', async (route) => { await held; await route.continue(); });
  await logIn(page, 'heping-viewer', 'not-the-password');
  await check('the button is disabled while the login is under way', async () => {
    const button = page.getByRole('button', { name: '登录中…' });
    await visible(button);
    assert(await button.isDisabled(), 'the button is enabled');
  });
  release();
  await check('a wrong password shows the server\'s message', () =>
    visible(page.getByRole('alert'), '用户名或密码错误'));
  await check('the password field is emptied, the button usable again', async () => {
    assert(await page.getByLabel('密码').inputValue() === '', 'the password is still there');
    assert(await page.getByRole('button', { name: '登录' }).isEnabled(), 'the button stays disabled');
  });
  await check('still on the login page, no password in the address', () =>
    assert(page.url() === `${BASE_URL}/login.html`, `address is ${page.url()}`));
}

// Five wrong passwords lock the username for this address; the sixth try, even with the right
// password, shows the server's 429 message with the wait. run.sh clears the lockout afterwards.
async function lockout(page) {
  await page.goto('/login.html');
  const answer = () => page.waitForResponse((r) => r.url().endsWith('/api/v1/session'));
  for (let i = 0; i < 5; i++) {
    await Promise.all([answer(), logIn(page, 'shenhe-viewer', 'not-the-password')]);
  }
  const [res] = await Promise.all([answer(), logIn(page, 'shenhe-viewer')]);
  await check('the sixth try answers 429', () => assert(res.status() === 429, `status ${res.status()}`));
  await check('the lockout message says how long to wait', () =>
    visible(page.getByRole('alert'), /分钟/));
}

async function clerkBrowsesRegions(page) {
  await page.goto('/');
  await check('without a session / sends the browser to the login page', () =>
    page.waitForURL(/\/login\.html(#next=\/)?$/));
  await logIn(page, 'heping-clerk');
  await check('after login the header shows name, region and level', async () => {
    await visible(header(page), '刘丽娟');
    await visible(header(page), '和平区（县级）');
    await visible(header(page), '录入');
  });
  await check('the clerk sees 区划 and the later sections but not 会话', async () => {
    for (const name of ['区划', '组织', '干部名册', '换届', '两新组织', '统计']) await visible(navLink(page, name));
    // The navigation is built in one go, so once it shows, a missing link stays missing.
    assert(await navLink(page, '会话').count() === 0, 'the 会话 link is shown');
  });
  await check('区划 starts at her own region 和平区', () =>
    visible(page.getByRole('heading', { level: 2 }), '和平区'));
  await check('nothing above her own region is offered in the breadcrumbs', async () => {
    const crumbs = page.getByRole('navigation', { name: '上级区划' });
    await visible(crumbs, '和平区');
    assert(await crumbs.getByRole('link').count() === 0, 'a region above hers is a link');
  });
  await page.getByRole('link', { name: '浑河湾街道' }).click();
  await check('a township opens with its communities', async () => {
    await shown(page, '#/regions/210102001');
    await visible(page.getByRole('heading', { level: 2 }), '浑河湾街道');
    await visible(page.getByRole('cell', { name: '水源地社区' }));
  });
  await check('the breadcrumbs lead back to 和平区', async () => {
    await page.getByRole('navigation', { name: '上级区划' }).getByRole('link', { name: '和平区' }).click();
    await shown(page, '#/regions/210102');
    await visible(page.getByRole('heading', { level: 2 }), '和平区');
  });
  await check('a region outside her jurisdiction is refused politely', async () => {
    await page.goto('/#/regions/210103');
    await visible(page.getByText('不在您的管辖范围内'));
  });
  await loadMore(page);
  await check('a typed address of an admin page says it is for admins', async () => {
    await page.goto('/#/sessions');
    await visible(page.getByText('此页面仅限管理员使用'));
  });
  await page.getByRole('button', { name: '退出' }).click();
  await check('退出 goes back to the login page', async () => {
    await page.waitForURL(`${BASE_URL}/login.html`);
    await visible(page.getByRole('button', { name: '登录' }));
  });
  await check('after logging out the session is gone on the server too', async () => {
    await page.goto('/#/regions');
    await page.waitForURL(/\/login\.html#next=/);
  });
}

// "加载更多": the page size is cut to 4 on the way to the server, so 和平区's 10 townships come
// in three pages through the real cursor pagination.
async function loadMore(page) {
  await page.route('**/api/v1/regions/210102/children?*', (route) => {
    const url = new URL(route.request().url());
    url.searchParams.set('limit', '4');
    return route.continue({ url: url.toString() });
  });
  await page.goto('/#/regions/210102');
  const rows = page.locator('table.list tbody tr');
  const more = page.getByRole('button', { name: '加载更多' });
  await check('加载更多 appears when there is a next page', async () => {
    await visible(page.getByText('已显示 4 个下级区划'));
    await visible(more);
  });
  await more.click();
  await visible(page.getByText('已显示 8 个下级区划'));
  await more.click();
  await check('加载更多 brings the following pages, then goes away', async () => {
    await visible(page.getByText('共 10 个下级区划'));
    assert(await rows.count() === 10, `${await rows.count()} rows`);
    assert(!(await more.isVisible()), 'the button is still shown');
  });
  await page.unroute('**/api/v1/regions/210102/children?*');
}

async function returnAfterLogin(page) {
  await page.goto('/#/regions/210102001');
  await check('without a session a deep link goes to login with #next', () =>
    onSite(page, '/login.html#next=/#/regions/210102001'));
  await logIn(page, 'heping-clerk');
  await check('after login the user is back where she was', async () => {
    await shown(page, '#/regions/210102001');
    await visible(page.getByRole('heading', { level: 2 }), '浑河湾街道');
  });
  await page.getByRole('button', { name: '退出' }).click();
  await page.waitForURL(`${BASE_URL}/login.html`);
}

async function adminSessions(page, browser) {
  // A second browser where heping-clerk is logged in: the session the admin will revoke.
  const clerk = await browser.newContext({ baseURL: BASE_URL });
  clerk.setDefaultTimeout(TIMEOUT);
  const clerkPage = await clerk.newPage();
  try {
    await clerkPage.goto('/login.html');
    await logIn(clerkPage, 'heping-clerk');
    await visible(header(clerkPage), '刘丽娟');

    await page.goto('/login.html');
    await logIn(page, 'heping-admin');
    await check('the admin sees the 会话 section', () => visible(navLink(page, '会话')));
    await navLink(page, '会话').click();
    const rows = page.getByRole('row');
    await check('the sessions list shows her own session as the current one', async () => {
      const current = rows.filter({ hasText: '当前会话' });
      await visible(current, 'heping-admin');
      await visible(current, '孙静');
    });
    await check('the sessions list includes heping-clerk\'s session', () => visible(rows, 'heping-clerk'));
    // Revokes every heping-clerk session (other tests may have left some); each click reloads
    // the table, which detaches the clicked button.
    await check('撤销 revokes heping-clerk\'s sessions', async () => {
      for (;;) {
        const button = rows.filter({ hasText: 'heping-clerk' }).getByRole('button', { name: '撤销' }).first();
        if (await button.count() === 0) break;
        const handle = await button.elementHandle();
        await button.click();
        await handle.waitForElementState('hidden');
        await visible(page.getByRole('status'), '已撤销');
      }
    });
    await check('the revoked browser is sent to login at its next request', async () => {
      await clerkPage.reload();
      await clerkPage.waitForURL(/\/login\.html/);
    });
  } finally {
    await clerk.close();
  }
}

async function noOpenRedirect(page) {
  await page.goto('/login.html#next=//evil.example');
  await logIn(page, 'heping-viewer');
  await check('#next=//evil.example: after login the browser stays on the site', async () => {
    await shown(page, '#/regions');
    await visible(header(page), '陈秀兰');
  });
  for (const next of ['/\\evil.example', 'https://evil.example/']) {
    await page.goto(`/login.html#next=${next}`);
    await check(`#next=${next}: a logged-in visitor is sent to / on the site`, () => shown(page, '#/regions'));
  }
}

await run([
  ['wrong password', wrongPassword],
  ['too many wrong passwords', lockout],
  ['heping-clerk browses 区划 and logs out', clerkBrowsesRegions],
  ['back to the deep link after login', returnAfterLogin],
  ['heping-admin lists and revokes sessions', adminSessions],
  ['no open redirect after login', noOpenRedirect],
]);
