import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from './generated/prisma/client';

/**
 * The one Prisma client of a service, on the pg driver adapter (no Rust
 * engine at run time). Shares its pool with raw SQL repositories, which use
 * `pool` directly for bulk paths where Prisma's createMany is too slow.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(readonly pool: Pool) {
    super({ adapter: new PrismaPg(pool) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    await this.pool.end();
  }
}
