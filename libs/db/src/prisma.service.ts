import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { createPool } from './pool';
import { PrismaClient } from './generated/prisma/client';

/**
 * The one Prisma client of a service, on the pg driver adapter (no Rust
 * engine at run time), and the owner of the process's one pg pool: the
 * adapter runs on it, and so do the raw SQL repositories (bulk and locking
 * statements, where Prisma's createMany is too slow), through `pool`. One
 * pool, one place that opens and closes it.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(url: string, poolSize: number) {
    const pool = createPool(url, poolSize);
    super({
      adapter: new PrismaPg(pool),
      // A consumer's batch may wait on another instance's row locks, and an erasure rewrites a large affiliate's rows:
      // Prisma's 5 s would roll back (and retry) work that is only slow.
      transactionOptions: { maxWait: 10_000, timeout: 60_000 },
      // Any other format captures a stack trace on every call, to point at the caller's line should it fail: 1.5 % of
      // postback-ingest's CPU when its statements went through Prisma. Errors keep their stack and SQLSTATE regardless.
      errorFormat: 'minimal',
    });
    this.pool = pool;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    // The adapter leaves a pool it was given open.
    await this.pool.end();
  }
}
