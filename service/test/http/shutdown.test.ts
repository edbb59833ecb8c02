import { describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from '../support/databases.ts';
import { bootService } from '../support/service.ts';

describe('graceful shutdown', () => {
  it('finishes in-flight work before closing the database, and refuses new work', async () => {
    const service = await bootService(await freshDatabaseUrl('sqlite'));
    const order: string[] = [];
    const batch = service.work.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The database is still open while the batch commits.
      await service.database.prisma.workspace.count();
      order.push('batch committed');
    });

    const stopped = service.stop().then(() => order.push('stopped'));
    await expect(service.work.run(async () => 'late')).rejects.toThrow(/shutting down/);
    await Promise.all([batch, stopped]);
    expect(order).toEqual(['batch committed', 'stopped']);
  });

  it('stops after SHUTDOWN_TIMEOUT_MS when work does not finish, saying so', async () => {
    const service = await bootService(await freshDatabaseUrl('sqlite'), {
      SHUTDOWN_TIMEOUT_MS: '100',
    });
    let release: () => void = () => undefined;
    const stuck = service.work.run(() => new Promise<void>((resolve) => (release = resolve)));
    await service.stop();
    expect(service.logs().map((line) => line['msg'])).toContain(
      'shutdown timeout reached: unfinished work is rolled back and redone on the next start',
    );
    release();
    await stuck;
  });
});
