// Real Chromium for page tests: the system's /usr/bin/chromium driven by playwright-core (no
// browser download), and the first-start step every daemon page test begins with.
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Headless Chromium with its own background traffic (updates, sync, first-run pages) off, so a
 * test that records the page's requests sees only what the page asked for.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** The one-time setup link in the daemon's first-start log line. */
export function setupLinkIn(logMsg: string): string {
  const link = /(http:\/\/\S+\/setup\?token=\S+)/.exec(logMsg)?.[1];
  if (link === undefined) throw new Error(`no setup link in: ${logMsg}`);
  return link;
}

/**
 * Sets the admin password through the setup link, as the owner does on first start; resolves once
 * the page is on the dashboard at `${base}/`, logged in as admin.
 */
export async function setAdminPassword(
  page: Page,
  setupLink: string,
  password: string,
  base: string,
): Promise<void> {
  await page.goto(setupLink);
  await page.fill('input[name=password]', password);
  await page.fill('input[name=repeat]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/`);
}
