import type { Org } from '../org/org.ts';
import { formatDateTime } from '../org/values.ts';

/** The seeded company's activity: 120 days of logins and the OAuth tokens of several apps. */

const DAY = 86_400_000;
const HISTORY_DAYS = 120;
const APPS = ['Salesforce for iOS', 'Salesforce CLI', 'Pryzm Connector', 'DocuSign', 'Slack'];
const LOGIN_TYPES = ['Application', 'Remote Access 2.0', 'SAML Idp Initiated SSO'];
const APPLICATIONS = ['Browser', 'Salesforce for iOS', 'Pryzm Connector', 'Data Loader'];

export interface SeededUser {
  id: string;
  active: boolean;
  lastLogin: number | null;
}

/** LoginHistory spread over active users' last 120 days, up to each one's last login. */
export function seedLoginHistory(
  org: Org,
  users: SeededUser[],
  total: number,
  today: number,
  rnd: () => number,
): number {
  const table = org.store.table('LoginHistory');
  if (!table) return 0;
  const window = today - HISTORY_DAYS * DAY;
  const eligible = users.filter((u) => u.lastLogin !== null && u.lastLogin >= window);
  if (eligible.length === 0) return 0;
  const ips = Array.from(
    { length: 4096 },
    (_, n) => `${[203, 198, 192][n % 3]}.${(n >> 8) & 255}.${n & 255}.${1 + (n % 250)}`,
  );
  const perUser = Math.floor(total / eligible.length);
  let extra = total - perUser * eligible.length;
  let written = 0;
  for (const user of eligible) {
    const count = perUser + (extra > 0 ? 1 : 0);
    if (extra > 0) extra -= 1;
    const last = user.lastLogin!;
    const span = last - window;
    for (let n = 0; n < count; n++) {
      // The newest row is the user's last login; older ones spread back to the window's start.
      const at = n === 0 ? last : last - Math.floor(rnd() * span);
      const roll = rnd();
      table.put({
        Id: org.ids.next('0Ya'),
        IsDeleted: false,
        UserId: user.id,
        LoginTime: formatDateTime(at),
        Status:
          n === 0 || roll > 0.05
            ? 'Success'
            : roll > 0.01
              ? 'Invalid Password'
              : 'Failed: Computer activation required',
        SourceIp: ips[Math.floor(rnd() * ips.length)]!,
        LoginType: LOGIN_TYPES[Math.floor(rnd() * LOGIN_TYPES.length)]!,
        Application: APPLICATIONS[Math.floor(rnd() * APPLICATIONS.length)]!,
      });
      written += 1;
    }
  }
  return written;
}

/** About one token for every two users, from several apps; some unused for months. */
export function seedOauthTokens(
  org: Org,
  users: SeededUser[],
  today: number,
  rnd: () => number,
  pick: <T>(list: readonly T[]) => T,
): number {
  const table = org.store.table('OauthToken');
  if (!table) return 0;
  let written = 0;
  users.forEach((user, index) => {
    if (index % 2 === 1) return;
    const created = today - (30 + Math.floor(rnd() * 500)) * DAY;
    const unused = index % 10 === 4; // unused for 120+ days
    const lastUsed = unused
      ? today - (120 + Math.floor(rnd() * 200)) * DAY
      : today - Math.floor(rnd() * 14) * DAY;
    table.put({
      Id: org.ids.next('0CQ'),
      IsDeleted: false,
      AppName: index === 0 ? 'Pryzm Connector' : pick(APPS),
      UserId: user.id,
      CreatedDate: formatDateTime(created),
      LastUsedDate: formatDateTime(Math.max(created, lastUsed)),
      UseCount: 1 + Math.floor(rnd() * 5000),
      DeleteToken: null,
      RequestToken: null,
    });
    written += 1;
  });
  return written;
}
