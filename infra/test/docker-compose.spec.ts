import { ServiceEnv } from '@tracklane/config';
import { WORKSPACE_ROOT } from '@tracklane/testing';
import { load } from 'js-yaml';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  read_only?: boolean;
  cap_drop?: string[];
  volumes?: string[];
}

function envFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : envFiles(path);
    return /env\.ts$/.test(entry.name) && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const read = (file: string) => readFileSync(join(WORKSPACE_ROOT, file), 'utf8');
const compose = load(read('docker-compose.yml')) as { services: Record<string, ComposeService> };
const services = read('infra/services.conf')
  .split('\n')
  .filter((line) => line.trim() && !line.trim().startsWith('#'))
  .map((line) => {
    const [name, port] = line.trim().split(/\s+/);
    return { name, port };
  });
/** Variables listed in the README's configuration tables: rows that start with | `NAME` |. */
const documented = new Set([...read('README.md').matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((match) => match[1]));

describe('docker-compose.yml', () => {
  it('runs Kafka, Postgres and Redis with health checks', () => {
    for (const name of ['kafka', 'postgres', 'redis']) {
      expect(compose.services[name]?.healthcheck?.test.length).toBeGreaterThan(0);
    }
    expect(compose.services.kafka.image).toMatch(/^apache\/kafka:4\./);
  });

  it('runs every service that `npm run up` runs, on the same port, health-checked, after setup', () => {
    for (const { name, port } of services) {
      const service = compose.services[name];
      expect({ name, defined: service !== undefined }).toEqual({ name, defined: true });
      expect(service.environment?.PORT).toBe(port);
      expect(service.ports).toContain(`${port}:${port}`);
      expect(service.healthcheck?.test.join(' ')).toContain(`${port}/readyz`);
      expect(service.depends_on?.setup?.condition).toBe('service_completed_successfully');
    }
  });

  it('runs every service as in production: read-only but for the spool volume of click-ingest, at the image state directory', () => {
    const stateDir = /TRACKLANE_STATE_DIR=(\S+)/.exec(read('Dockerfile'))?.[1];
    for (const { name } of services) {
      const service = compose.services[name];
      expect({ name, readOnly: service.read_only, capDrop: service.cap_drop }).toEqual({ name, readOnly: true, capDrop: ['ALL'] });
      expect({ name, volumes: service.volumes ?? [] }).toEqual({ name, volumes: name === 'click-ingest' ? [`click-spool:${stateDir}`] : [] });
    }
  });

  it('uses the same environment variable names as a local run, each documented in the README', () => {
    const used = new Set(
      Object.entries(compose.services)
        .filter(([name]) => !['kafka', 'postgres', 'redis'].includes(name))
        .flatMap(([, service]) => Object.keys(service.environment ?? {})),
    );
    for (const name of ['KAFKA_BROKERS', 'DATABASE_URL', 'REDIS_URL']) expect(used).toContain(name);
    expect([...used].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('documents every variable every service reads', () => {
    const declared = new Set(Object.keys(new ServiceEnv()));
    // Each service's own settings: the UPPER_CASE fields of its *env.ts class.
    for (const file of envFiles(join(WORKSPACE_ROOT, 'apps'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]+)[!?]?:/gm)) declared.add(match[1]);
    }
    expect([...declared].filter((name) => !documented.has(name))).toEqual([]);
  });
});
