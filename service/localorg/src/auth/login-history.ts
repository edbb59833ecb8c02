import type { Request } from 'express';
import type { Org } from '../org/org.ts';
import { formatDateTime } from '../org/values.ts';

/** Writes LoginHistory rows for API logins as an org records them (no DML events). */

export interface LoginEntry {
  userId: string;
  loginType: 'Remote Access 2.0' | 'Other Apex API' | 'Application';
  loginSubType?: string;
  status: 'Success' | 'Invalid Password' | 'Failed: Computer activation required';
  application?: string;
  apiType?: string;
  apiVersion?: string;
}

export function recordLogin(org: Org, req: Request, entry: LoginEntry): void {
  const table = org.store.table('LoginHistory');
  if (!table) return;
  table.put({
    Id: org.ids.next(table.describe.keyPrefix ?? '0Ya'),
    IsDeleted: false,
    UserId: entry.userId,
    LoginTime: formatDateTime(org.now()),
    LoginType: entry.loginType,
    LoginSubType: entry.loginSubType ?? null,
    SourceIp: (req.ip ?? '127.0.0.1').replace(/^::ffff:/, ''),
    LoginUrl: req.get('host') ?? null,
    Browser: 'Unknown',
    Platform: 'Unknown',
    Status: entry.status,
    Application: entry.application ?? 'N/A',
    ClientVersion: 'N/A',
    ApiType: entry.apiType ?? 'N/A',
    ApiVersion: entry.apiVersion ?? 'N/A',
    CountryIso: null,
    TlsProtocol: req.secure ? 'TLS 1.3' : null,
  });
}
