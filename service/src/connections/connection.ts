import type { ConnectionRow } from '../store/repositories/connections.ts';
import type { SecretColumn } from './connection-secrets.ts';

/**
 * A workspace's connection to one org, as the rest of the service sees it: who and where the
 * org is, its status and API usage. Its encrypted secrets stay inside this folder.
 */
export type Connection = Omit<ConnectionRow, SecretColumn>;

export type { AuthFlow, ConnectionStatus } from '../store/repositories/connections.ts';
