import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Guanxi, people, readBlocks } from '../../support/guanxi.ts';
import { answerLinks } from './answer-link.ts';

/** Debian's chromium package; `.ci/run` installs it. */
const chromium = '/usr/bin/chromium';
const ana = 'ana@ourteam.io';

describe('the poll page in a real browser (headless Chromium)', () => {
  let browser: Browser | undefined;
  let guanxi: Guanxi;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // No sandbox: CI runs as root, which Chromium's sandbox refuses.
    if (existsSync(chromium)) browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  });
  afterAll(() => browser?.close());

  beforeEach(async () => {
    // Each test fails (none is skipped) on a machine without Chromium, saying how to get it.
    if (!browser) throw new Error(`Chromium is not installed at ${chromium}. Install it with: apt-get install -y chromium (bash .ci/run does this).`);
    guanxi = await Guanxi.start('2026-12-02T17:00:00Z', { gmail: true });
    guanxi.gmail.addMailbox(ana);
    await guanxi.crm(people.ana.id, 'add customer "Acme Corp" acme.com');
    await guanxi.crm(people.ana.id, 'add contact jane@acme.com "Jane Doe" acme.com');
    await guanxi.connectGmail(people.ana.id, ana);
    await guanxi.crm(people.ana.id, 'poll jane@acme.com');
    // A context of its own per test: closing it drops its connections, so the server can stop at once.
    context = await browser.createBrowserContext();
    page = await context.newPage();
  });
  afterEach(async () => {
    if (!browser) return;
    await context.close();
    await guanxi.stop();
  });

  const card = async () => readBlocks((await guanxi.crm(people.ana.id, 'find acme')).reply.body['blocks']);
  const linkFor = (score: number) => answerLinks(guanxi, guanxi.gmail.sent(ana)[0]!.text!)[score - 1]!;

  it('one click on a score in the mail records it; the person can change it and send a comment, and the card shows both', async () => {
    expect(await card()).not.toContain('CSAT');

    await page.goto(linkFor(2));
    await page.waitForSelector('textarea#comment');
    expect(await page.$eval('[role=status]', (el) => el.textContent)).toBe('Your answer, 2 out of 5, is recorded.');
    expect(await card()).toContain('CSAT 0%: 0 of 1 answers were 4 or 5 (on 1 to 5).');

    await Promise.all([page.waitForNavigation(), page.click('button[name=score][value="5"]')]);
    expect(await page.$eval('button[aria-pressed=true]', (el) => el.textContent)).toBe('5');
    await page.type('textarea#comment', 'Fixed within the hour. Thank you!');
    await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    expect(await page.$eval('[role=status]', (el) => el.textContent)).toBe('Thank you for your comment; it reaches the team as written.');

    const shown = await card();
    expect(shown).toContain('CSAT 100%: 1 of 1 answers were 4 or 5 (on 1 to 5).');
    expect(shown).toContain('“Fixed within the hour. Thank you!” (CSAT 5, jane@acme.com');
  });

  it('without script, the page shows the button that sends the score, and nothing is recorded until it is pressed', async () => {
    await page.setJavaScriptEnabled(false);

    await page.goto(linkFor(4));
    const button = await page.waitForSelector('form#answer button');
    expect(await button!.evaluate((el) => el.textContent)).toBe('Send my answer: 4');
    expect(await card()).not.toContain('CSAT');

    await Promise.all([page.waitForNavigation(), button!.click()]);
    expect(await page.$eval('[role=status]', (el) => el.textContent)).toBe('Your answer, 4 out of 5, is recorded.');
    expect(await card()).toContain('CSAT 100%: 1 of 1 answers were 4 or 5 (on 1 to 5).');
  });

  it('a closed poll\'s link shows why nothing was recorded', async () => {
    guanxi.clock.set('2027-01-02T00:00:00Z');

    const response = await page.goto(linkFor(5));

    expect(response!.status()).toBe(410);
    expect(await page.$eval('h1', (el) => el.textContent)).toBe('This poll has closed');
  });
});
