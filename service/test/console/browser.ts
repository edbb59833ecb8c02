import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';

const repository = join(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);

/** Where the browser tests leave a screenshot of each page (gitignored). */
export const screenshotDir = join(repository, 'service', 'test', 'console', 'screenshots');

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it); PRYZM_CHROMIUM overrides. */
export function chromiumPath(): string {
  const candidates = [
    process.env.PRYZM_CHROMIUM,
    '/usr/bin/chromium-headless-shell',
    '/usr/lib/chromium/headless_shell',
    '/usr/bin/chromium',
  ].filter((path): path is string => Boolean(path));
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      'No Chromium for the console tests: apt-get install chromium (or set PRYZM_CHROMIUM)',
    );
  }
  return found;
}

const consoleDir = join(repository, 'service', 'console');
const buildScript = join(consoleDir, 'scripts', 'build.mjs');
const consoleDist = join(consoleDir, 'dist');
/** Held (a folder) while one test file builds the console; the others wait, then reuse it. */
const buildLock = `${consoleDist}.test-lock`;
/** A lock older than this was left by a test process that died mid-build. */
const STALE_LOCK_MS = 120_000;

/** The newest modification time of a file under `path`. */
function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce(
    (newest, name) => Math.max(newest, newestChange(join(path, name))),
    stats.mtimeMs,
  );
}

/**
 * Whether service/console/dist holds a build newer than the console's sources, its build script
 * and the installed packages (package-lock.json): then a test file serves it as it is.
 */
function consoleBuildIsCurrent(): boolean {
  const stamp = join(consoleDist, 'build.json');
  if (!existsSync(stamp) || !existsSync(join(consoleDist, 'console.js'))) return false;
  const builtAt = statSync(stamp).mtimeMs;
  const inputs = [join(consoleDir, 'src'), buildScript, join(repository, 'package-lock.json')];
  return inputs.every((input) => newestChange(input) < builtAt);
}

/** Takes the build lock if it is free (or was left by a dead build). */
function tryLock(): boolean {
  try {
    mkdirSync(buildLock);
    return true;
  } catch {
    try {
      if (Date.now() - statSync(buildLock).mtimeMs > STALE_LOCK_MS) {
        rmSync(buildLock, { recursive: true, force: true });
      }
    } catch {
      // Released meanwhile: the next try takes it.
    }
    return false;
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Builds the console into service/console/dist, as `npm run build` does, unless a current build
 * is there: the browser test files of a run share one build instead of building it each (about
 * 11 s each on two cores) and swapping the folder under another file's service.
 */
export function buildConsole(): void {
  while (!tryLock()) Atomics.wait(pause, 0, 0, 100);
  try {
    if (!consoleBuildIsCurrent()) execFileSync(process.execPath, [buildScript], { stdio: 'pipe' });
  } finally {
    rmSync(buildLock, { recursive: true, force: true });
  }
}

/**
 * The same in a child process, so a file can start its stack and browser meanwhile (the build
 * swaps the new folder in whole, and the service looks for it on each request).
 */
export async function buildConsoleInBackground(): Promise<void> {
  while (!tryLock()) await new Promise((resolve) => setTimeout(resolve, 100));
  try {
    if (!consoleBuildIsCurrent()) await promisify(execFile)(process.execPath, [buildScript]);
  } finally {
    rmSync(buildLock, { recursive: true, force: true });
  }
}

/** Headless Chromium driven by playwright-core: no browser download, no network. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Tests run as root on CI machines, where Chromium's sandbox cannot start.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe-core's WCAG 2.1 A and AA rules on the page as it is. The engine is evaluated
 * through the DevTools protocol, so the console's Content-Security-Policy stays on.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })) as { violations: AxeViolation[] };
    return result.violations;
  });
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}: ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(', ')}`,
  );
}

/** A full-page screenshot under screenshotDir, for people to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
