/**
 * API versions the org answers: Summer '14 (31.0) to Winter '27 (68.0), the release orgs run
 * since October 2026. Versions 20.0 = Winter '11 onwards follow Winter, Spring, Summer, one
 * per release.
 */

export const MIN_API_VERSION = 31;
export const MAX_API_VERSION = 68;
export const LATEST_VERSION = `${MAX_API_VERSION}.0`;

export function releaseLabel(major: number): string {
  const k = major - 20;
  const season = ['Winter', 'Spring', 'Summer'][k % 3] ?? 'Winter';
  const year = 11 + Math.floor(k / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

export function versionList(): { label: string; url: string; version: string }[] {
  const out = [];
  for (let v = MIN_API_VERSION; v <= MAX_API_VERSION; v++) {
    out.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return out;
}

/** `v58.0` → `58.0` when the org serves that version, else undefined. */
export function parseVersion(segment: string): string | undefined {
  const m = /^v(\d+)\.0$/.exec(segment);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major >= MIN_API_VERSION && major <= MAX_API_VERSION ? `${major}.0` : undefined;
}

/** The version's resources; `identity` is the caller's identity URL, as Salesforce lists it. */
export function versionResources(version: string, identity: string): Record<string, string> {
  const base = `/services/data/v${version}`;
  const names = [
    'tooling',
    'metadata',
    'eclair',
    'folders',
    'jobs',
    'composite',
    'limits',
    'query',
    'queryAll',
    'recent',
    'search',
    'sobjects',
    'tabs',
    'theme',
    'ui-api',
    'actions',
    'analytics',
    'connect',
    'licensing',
    'process',
    'quickActions',
    'scheduling',
    'support',
  ];
  const out: Record<string, string> = {};
  for (const n of names.sort()) out[n] = `${base}/${n}`;
  out['identity'] = identity;
  return out;
}
