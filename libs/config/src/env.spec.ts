import { IsInt, IsString, Min } from 'class-validator';
import { ConfigError, loadEnv } from './env';
import { ServiceEnv } from './service-env';

class ExampleEnv extends ServiceEnv {
  @IsString({ message: 'SIGNING_KEY is required' })
  SIGNING_KEY!: string;

  @IsInt()
  @Min(1)
  WINDOW_SECONDS: number = 60;
}

function problems(source: NodeJS.ProcessEnv): string[] {
  try {
    loadEnv(ExampleEnv, source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadEnv', () => {
  it('applies defaults and converts numbers', () => {
    const env = loadEnv(ExampleEnv, { SIGNING_KEY: 'k', WINDOW_SECONDS: '90', PORT: '8080' });
    expect(env.KAFKA_BROKERS).toBe('127.0.0.1:9092');
    expect(env.WINDOW_SECONDS).toBe(90);
    expect(env.PORT).toBe(8080);
  });

  it('names a missing variable', () => {
    expect(problems({})).toEqual(['SIGNING_KEY is required']);
  });

  it('names every malformed variable with its rule', () => {
    const found = problems({
      SIGNING_KEY: 'k',
      KAFKA_BROKERS: 'localhost',
      DATABASE_URL: 'mysql://x',
      WINDOW_SECONDS: 'soon',
      LOG_LEVEL: 'loud',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'KAFKA_BROKERS must be a comma-separated list of host:port',
        'DATABASE_URL must be a postgres:// or postgresql:// URL',
        expect.stringMatching(/^WINDOW_SECONDS/),
        expect.stringMatching(/^LOG_LEVEL/),
      ]),
    );
    expect(found).toHaveLength(4);
  });

  it('refuses a min.insync.replicas above the replication factor, naming both', () => {
    expect(() => loadEnv(ServiceEnv, { KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' })).not.toThrow();
    expect(() => loadEnv(ServiceEnv, { KAFKA_MIN_INSYNC_REPLICAS: '2' })).toThrow('KAFKA_MIN_INSYNC_REPLICAS may not exceed KAFKA_REPLICATION_FACTOR');
  });

  it('treats an empty variable as unset', () => {
    expect(loadEnv(ExampleEnv, { SIGNING_KEY: 'k', KAFKA_BROKERS: '' }).KAFKA_BROKERS).toBe('127.0.0.1:9092');
  });
});
