import { DynamicModule, Global, Inject, Module, OnModuleInit } from '@nestjs/common';
import { ServiceEnv } from '@tracklane/config';
import { HealthRegistry } from '@tracklane/observability';
import { Pool } from 'pg';
import { PrismaService } from './prisma.service';

export interface DbOptions {
  /** Connections in the pool; sized per service (ingest needs few, consumers more). */
  poolSize?: number;
}

@Global()
@Module({})
export class DbModule implements OnModuleInit {
  constructor(
    @Inject(Pool) private readonly pool: Pool,
    private readonly health: HealthRegistry,
  ) {}

  static forRoot(options: DbOptions = {}): DynamicModule {
    return {
      module: DbModule,
      providers: [
        {
          provide: PrismaService,
          inject: [ServiceEnv],
          useFactory: (env: ServiceEnv) => new PrismaService(env.DATABASE_URL, options.poolSize ?? 10),
        },
        // The same pool, for the raw SQL repositories that inject it.
        { provide: Pool, inject: [PrismaService], useFactory: (prisma: PrismaService) => prisma.pool },
      ],
      exports: [Pool, PrismaService],
    };
  }

  onModuleInit(): void {
    this.health.register({ name: 'postgres', check: async () => void (await this.pool.query('SELECT 1')) });
  }
}
