import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Runs the real Salesforce CLI from the repository's node_modules with a scratch HOME. */

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const binDir = join(repoRoot, 'node_modules', '.bin');

export interface SfCli {
  home: string;
  run(
    args: string[],
    env?: Record<string, string>,
  ): Promise<{ status: number; result: unknown; raw: string }>;
  dispose(): void;
}

export function sfCli(): SfCli {
  const home = mkdtempSync(join(tmpdir(), 'localorg-sf-'));
  return {
    home,
    run(args, extraEnv = {}) {
      return new Promise((resolve, reject) => {
        execFile(
          join(binDir, 'sf'),
          [...args, '--json'],
          {
            cwd: home,
            timeout: 120_000,
            maxBuffer: 64 * 1024 * 1024,
            env: {
              ...process.env,
              PATH: `${binDir}:${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`,
              HOME: home,
              SF_DISABLE_TELEMETRY: 'true',
              // The oclif update hook reads this name; without it each run may leave an
              // `sf update --autoupdate` process behind.
              SF_DISABLE_AUTOUPDATE: 'true',
              SF_SKIP_NEW_VERSION_CHECK: 'true',
              SF_USE_PROGRESS_BAR: 'false',
              ...extraEnv,
            },
          },
          (error, stdout) => {
            try {
              const parsed = JSON.parse(stdout) as { status: number; result: unknown };
              resolve({ status: parsed.status, result: parsed.result, raw: stdout });
            } catch {
              reject(error ?? new Error(`sf printed no JSON: ${stdout}`));
            }
          },
        );
      });
    },
    dispose() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** `sf org login access-token` to `instanceUrl` under `alias`; `env` carries SF_ACCESS_TOKEN. */
export function loginWithAccessToken(
  sf: SfCli,
  instanceUrl: string,
  alias: string,
  env: Record<string, string>,
) {
  return sf.run(
    [
      'org',
      'login',
      'access-token',
      '--instance-url',
      instanceUrl,
      '--no-prompt',
      '--alias',
      alias,
    ],
    env,
  );
}
