import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoWeekOf } from '../../src/digests/digest-model.js';
import { asPersonId, asServiceId, asWardId } from '../../src/shared/ids.js';
import { repoRoot } from '../support/cli.js';
import { freePort, startOidcIssuer } from '../support/oidc-issuer.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

const CHROMIUM = process.env.WARDLINE_CHROMIUM ?? '/usr/bin/chromium';
const AXE = readFileSync(`${repoRoot}node_modules/axe-core/axe.min.js`, 'utf8');

let app: TestApp;
let trackerUrl: string;
let issuer: { issuer: string; close(): Promise<void> };
let browser: Browser;
const refs: { overdue: string; restricted: string; restrictedWeek: string } = { overdue: '', restricted: '', restrictedWeek: '' };

async function openCase(email: string, serviceId: string, wardId: string, summary: string) {
  const ctx = await app.running.core.loadContext();
  const who = ctx.directory.byEmail.get(email)!;
  return app.running.core.cases.openCase(asPersonId(who.id), {
    serviceId: asServiceId(serviceId), wardId: asWardId(wardId), urgent: false, topic: 'fly-tipping', location: 'Slade Road', summary, description: summary,
  });
}

beforeAll(async () => {
  // The tracker as wardline serves it: its own front door, configured for the council's OIDC issuer.
  const port = await freePort();
  trackerUrl = `http://127.0.0.1:${port}`;
  issuer = await startOidcIssuer({ clientId: 'wardline-tracker', clientSecret: 'tracker-secret', redirectUri: `${trackerUrl}/auth/callback/council` });
  app = await startTestApp({
    env: { PORT: String(port), PUBLIC_URL: trackerUrl, OIDC_ISSUER: issuer.issuer, OIDC_CLIENT_ID: 'wardline-tracker', OIDC_CLIENT_SECRET: 'tracker-secret', OIDC_LABEL: 'Microsoft Entra ID' },
  });
  const overdue = await openCase('cllr.hussain@birmingham.example', 'waste-enforcement', 'erdington', 'Fly-tipped mattresses on Slade Road');
  await app.running.core.dbh.db.execute(sql`update cases set acknowledge_by = now() - interval '2 days', respond_by = now() - interval '1 day' where id = ${overdue.id}`);
  const restricted = await openCase('cllr.ellis@birmingham.example', 'housing-management', 'kingstanding', 'Damp in a council flat on Kings Road');
  refs.overdue = overdue.reference;
  refs.restricted = restricted.reference;
  // Opened eight days ago: in a week whose digest has been made.
  const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
  await app.running.core.dbh.db.execute(sql`update cases set created_at = ${eightDaysAgo.toISOString()}::timestamptz where id = ${restricted.id}`);
  refs.restrictedWeek = isoWeekOf(eightDaysAgo, 'Europe/London').id;
  await app.settle();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await issuer?.close();
  await app?.stop();
});

async function signIn(email: string, path: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${trackerUrl}${path}`);
  await page.getByRole('button', { name: 'Sign in with Microsoft Entra ID' }).click();
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill('any');
  await page.locator('button[type="submit"]').click();
  // The provider's consent step, when it asks.
  for (let i = 0; i < 3 && !page.url().startsWith(trackerUrl); i++) {
    await page.locator('button[type="submit"]').first().click();
    await page.waitForLoadState();
  }
  await page.waitForURL((u) => u.href.startsWith(trackerUrl));
  return { context, page };
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => (window as unknown as { axe: { run(o: unknown): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } })
    .axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  return result.violations.map((v) => `${v.id} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

describe('the Ward Action Tracker in a browser, signed in through a real OIDC provider', () => {
  it('lets a manager see the scorecard and ward dashboard, export CSV and reassign an overdue case the RM then sees in chat', async () => {
    const { page, context } = await signIn('mgr.streets@birmingham.example', '/services/waste-enforcement');
    expect(page.url()).toBe(`${trackerUrl}/services/waste-enforcement`);
    await page.getByRole('heading', { name: 'Waste enforcement: scorecard' }).waitFor();
    expect(await page.locator('svg.wl-chart[role="img"]').count()).toBe(2);
    await page.getByRole('img', { name: /Percentage acknowledged and responded on time by officer, Waste enforcement/ }).waitFor();
    expect(await page.getByRole('img', { name: /Open cases by officer/ }).getAttribute('aria-labelledby')).toBe('load-t load-d');
    expect(await page.getByRole('table', { name: /Scorecard by officer/ }).locator('tbody tr').first().textContent()).toContain('Dev Patel');
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${trackerUrl}/wards/erdington`);
    await page.getByRole('heading', { name: 'Erdington', level: 1 }).waitFor();
    expect(await page.locator('svg.wl-chart[role="img"]').count()).toBe(3);
    await page.getByRole('img', { name: /New and resolved cases by week, Erdington/ }).waitFor();
    expect(await page.locator('#topics-d').textContent()).toBe('fly-tipping: Cases 1.');
    expect(await page.getByRole('table', { name: /This area against the city/ }).textContent()).toContain('Overdue');
    expect(await axeViolations(page)).toEqual([]);
    const weeks = await context.request.get(`${trackerUrl}/wards/erdington/weeks.csv`);
    expect(weeks.headers()['content-type']).toMatch(/text\/csv/);
    expect(await weeks.text()).toMatch(/^\uFEFF?week_start,new,resolved\r\n/);

    // The theme across the city, ward by ward, from the ward dashboard's topic link.
    await page.getByRole('link', { name: 'fly-tipping' }).click();
    await page.getByRole('heading', { name: 'Theme: fly-tipping', level: 1 }).waitFor();
    await page.getByRole('img', { name: /fly-tipping by ward/ }).waitFor();
    const byWard = page.getByRole('table', { name: 'fly-tipping by ward' });
    expect(await byWard.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.children).map((c) => c.textContent)))).toEqual([['Erdington', '1', '1']]);
    expect(await axeViolations(page)).toEqual([]);
    const wardsCsv = await context.request.get(`${trackerUrl}/themes/fly-tipping/wards.csv`);
    expect(await wardsCsv.text()).toMatch(/^\uFEFF?ward_id,ward,new,open_now\r\nerdington,Erdington,1,1\r\n$/);
    await byWard.getByRole('link', { name: 'Erdington' }).click();
    await page.getByRole('heading', { name: 'Erdington', level: 1 }).waitFor();

    // Past weekly digests: the restricted case is counted and listed, never described.
    await page.goto(`${trackerUrl}/digests`);
    await page.getByRole('link', { name: 'Kingstanding' }).click();
    await page.getByRole('heading', { name: 'Kingstanding', level: 1 }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: `Week ${refs.restrictedWeek}` }).click();
    await page.getByRole('heading', { name: 'Oldest open cases' }).waitFor();
    const digest = await page.textContent('main');
    expect(digest).toContain(refs.restricted);
    expect(digest).toContain('Restricted service: details are shown only to the people working on the case.');
    expect(digest).not.toContain('Damp in a council flat');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Previous week' }).click();
    await page.getByRole('heading', { name: 'Kingstanding', level: 1 }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${trackerUrl}/services/waste-enforcement`);
    const csv = await context.request.get(`${trackerUrl}/cases/export.csv?status=open&overdue=yes&service=waste-enforcement`);
    expect(await csv.text()).toContain(`${refs.overdue},routed,yes,Waste enforcement,Erdington,Fly-tipped mattresses on Slade Road`);

    await page.getByRole('link', { name: refs.overdue }).click();
    await page.getByRole('heading', { name: new RegExp(refs.overdue) }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('summary', { hasText: 'Reassign' }).click();
    await page.getByLabel('Reassign to').selectOption({ label: 'Helen Price' });
    await page.getByRole('button', { name: 'Reassign' }).click();
    await page.getByText('The case has been reassigned').waitFor();
    expect(await page.locator('.govuk-summary-list').textContent()).toContain('Helen Price');
    expect(await page.locator('.wl-timeline').textContent()).toContain('Reassigned by Angela Reid');

    // The RM (Helen Price) has the case in the built-in workspace, as if it had been reassigned in chat.
    await app.settle();
    const helen = (await app.running.core.loadContext()).directory.byEmail.get('rm.waste.city@birmingham.example')!;
    const dm = await (await fetch(`${app.url}/api/workspace/channels/dm-${helen.id}/messages?as=${helen.id}`)).json() as { messages: { text: string }[] };
    expect(dm.messages.map((m) => m.text).join('\n')).toContain(refs.overdue);
    await context.close();
  }, 120_000);

  it('shows a councillor only their wards\' cases and refuses another ward\'s restricted case by URL', async () => {
    const { page, context } = await signIn('cllr.hussain@birmingham.example', '/cases');
    await page.getByRole('heading', { name: 'My cases' }).waitFor();
    const table = await page.getByRole('table', { name: 'Cases' }).textContent();
    expect(table).toContain(refs.overdue);
    expect(table).not.toContain(refs.restricted);
    expect(await axeViolations(page)).toEqual([]);
    const refused = await page.goto(`${trackerUrl}/cases/${refs.restricted}`);
    expect(refused!.status()).toBe(403);
    expect(await page.textContent('body')).not.toContain('Damp in a council flat');
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${trackerUrl}/digests`);
    expect(await page.getByRole('link', { name: 'Erdington' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Kingstanding' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect((await page.goto(`${trackerUrl}/digests/wards/kingstanding/${refs.restrictedWeek}`))!.status()).toBe(403);

    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/cases', '/wards/erdington', `/cases/${refs.overdue}`]) {
      await page.goto(`${trackerUrl}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
    }
    // Keyboard: the first Tab reaches the skip link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main-content');

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'You have signed out' }).waitFor();
    await page.goto(`${trackerUrl}/cases`);
    expect(page.url()).toContain('/auth/sign-in');
    await context.close();
  }, 120_000);

  it('refuses people who are not in the directory with a clear page', async () => {
    const { page, context } = await signIn('stranger@example.org', '/cases');
    await page.getByRole('heading', { name: 'You cannot use the Ward Action Tracker yet' }).waitFor();
    expect(await page.textContent('main')).toContain('stranger@example.org is not in the wardline directory');
    await context.close();
  }, 60_000);
});
