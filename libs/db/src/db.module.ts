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
          provide: Pool,
          inject: [ServiceEnv],
          useFactory: (env: ServiceEnv) =>
            new Pool({
              connectionString: env.DATABASE_URL,
              max: options.poolSize ?? 10,
              connectionTimeoutMillis: 5_000,
              idleTimeoutMillis: 30_000,
            }),
        },
        { provide: PrismaService, inject: [Pool], useFactory: (pool: Pool) => new PrismaService(pool) },
      ],
      exports: [Pool, PrismaService],
    };
  }

  onModuleInit(): void {
    this.pool.on('error', () => undefined); // an idle client's error surfaces on its next query; /readyz shows it
    this.health.register({ name: 'postgres', check: async () => void (await this.pool.query('SELECT 1')) });
  }
}
