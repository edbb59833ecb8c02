import type { PrismaClient } from '../database.ts';

/** Cached describes per connection; the global describe is stored under the object name "". */
export const GLOBAL_DESCRIBE = '';

export class DescribeCacheRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async get(
    connectionId: string,
    objectName: string,
  ): Promise<{ payload: unknown; fetchedAt: Date } | null> {
    return this.prisma.describeCache.findUnique({
      where: { connectionId_objectName: { connectionId, objectName } },
      select: { payload: true, fetchedAt: true },
    });
  }

  async put(connectionId: string, objectName: string, payload: object): Promise<Date> {
    const fetchedAt = new Date();
    await this.prisma.describeCache.upsert({
      where: { connectionId_objectName: { connectionId, objectName } },
      create: { connectionId, objectName, payload, fetchedAt },
      update: { payload, fetchedAt },
    });
    return fetchedAt;
  }

  async delete(connectionId: string, objectName: string): Promise<void> {
    await this.prisma.describeCache.deleteMany({ where: { connectionId, objectName } });
  }

  async clear(connectionId: string): Promise<void> {
    await this.prisma.describeCache.deleteMany({ where: { connectionId } });
  }
}
