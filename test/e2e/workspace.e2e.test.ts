import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { startTestApp, type TestApp } from '../support/wardline-app.js';

const CHROMIUM = process.env.WARDLINE_CHROMIUM ?? '/usr/bin/chromium';
const ARTEFACTS = `${repoRoot}test-results/e2e`;

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTEFACTS, { recursive: true });
  app = await startTestApp();
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function openAs(name: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${app.url}/workspace`);
  const persona = page.getByLabel('Acting as');
  await expect.poll(async () => persona.locator('option').count()).toBeGreaterThan(10);
  const value = await persona.locator('option', { hasText: name }).first().getAttribute('value');
  await persona.selectOption(value!);
  await page.getByRole('heading', { name: 'Direct messages with wardline' }).waitFor();
  return page;
}

describe('the built-in workspace in a browser', () => {
  it('carries a case from the councillor to the RM and back', async () => {
    const councillor = await openAs('Cllr Amina Hussain');
    await expect.poll(() => councillor.getByRole('note').textContent()).toMatch(/Demo and test workspace/);

    const box = councillor.getByLabel('Message wardline');
    await box.fill('fly-tipping again on Slade Road, Erdington');
    await box.press('Enter');
    const ownMessage = councillor.locator('#messages li', { hasText: 'fly-tipping again on Slade Road, Erdington' });
    await ownMessage.getByRole('button', { name: /1 reply/ }).click({ timeout: 15_000 });
    const confirmation = councillor.locator('#replies li', { hasText: /Logged WL-\d{6}: Waste enforcement in Erdington/ });
    await expect.poll(() => confirmation.count(), { timeout: 15_000 }).toBe(1);
    const reference = /WL-\d{6}/.exec((await confirmation.textContent())!)![0];

    const rm = await openAs('Dev Patel');
    const card = rm.locator('#messages li', { hasText: reference });
    await card.getByRole('button', { name: 'Acknowledge' }).click({ timeout: 15_000 });
    await expect.poll(() => rm.getByRole('status').textContent()).toBe(`You acknowledged ${reference}.`);
    await expect.poll(() => card.locator('.status-label').textContent()).toBe(`${reference}: Acknowledged`);
    await expect.poll(() => card.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);

    await card.getByRole('button', { name: /Reply in thread/ }).click();
    const reply = rm.getByLabel('Your reply');
    await reply.fill('Crew booked for Thursday morning.');
    await rm.getByRole('button', { name: 'Send reply' }).click();
    await rm.locator('#replies li', { hasText: 'Crew booked for Thursday morning.' }).waitFor();
    await rm.screenshot({ path: `${ARTEFACTS}/rm-side.png`, fullPage: true });

    // The councillor's page updates live: the reply arrives in their thread, the confirmation moves on.
    const mirrored = councillor.locator('#replies li', { hasText: 'Dev Patel, Waste enforcement RM: Crew booked for Thursday morning.' });
    await expect.poll(() => mirrored.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => confirmation.locator('.status-label').textContent(), { timeout: 15_000 }).toBe(`${reference}: Acknowledged`);
    expect(await confirmation.textContent()).toContain('Status: Acknowledged.');
    await councillor.screenshot({ path: `${ARTEFACTS}/councillor-side.png`, fullPage: true });
  }, 90_000);

  it('is usable from the keyboard: labelled controls and a skip link', async () => {
    const page = await openAs('Cllr Amina Hussain');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the message box');
    for (const label of ['Acting as', 'Message wardline']) expect(await page.getByLabel(label).count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Channels' }).getByRole('button').count()).toBeGreaterThan(2);
  });

  it('keeps the message box in view at 1366×900 and 390×844, with no empty thread pane and no sideways scroll', async () => {
    for (const [width, height] of [[1366, 900], [390, 844]] as const) {
      const page = await openAs('Cllr Amina Hussain');
      await page.setViewportSize({ width, height });
      expect(await page.locator('#thread').isVisible()).toBe(false);
      const box = await page.getByLabel('Message wardline').boundingBox();
      expect(box!.y + box!.height, `${width}`).toBeLessThanOrEqual(height);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${width}`).toBeLessThanOrEqual(width);
      await page.close();
    }
  });
});
