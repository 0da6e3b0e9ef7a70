import { ServiceEnv } from '@tracklane/config';
import { WORKSPACE_ROOT } from '@tracklane/testing';
import { loadAll } from 'js-yaml';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Probe {
  httpGet: { path: string; port: string };
}
interface Container {
  name: string;
  command: string[];
  env?: { name: string; value: string }[];
  ports?: { name: string; containerPort: number }[];
  securityContext: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  containers: Container[];
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  stringData?: Record<string, string>;
  spec: { template?: { spec: PodSpec }; volumeClaimTemplates?: { metadata: { name: string } }[] };
}

const read = (file: string) => readFileSync(join(WORKSPACE_ROOT, file), 'utf8');
const manifests = loadAll(read('infra/kubernetes/tracklane.yaml')) as Manifest[];
const workloads = manifests.filter((manifest) => ['Deployment', 'StatefulSet', 'Job'].includes(manifest.kind));
const workload = (name: string) => workloads.find((manifest) => manifest.metadata.name === name && manifest.kind !== 'Job');
const settings = manifests.find((manifest) => manifest.kind === 'Secret')?.stringData ?? {};
/** Where the image keeps click-ingest's spool: the Dockerfile's TRACKLANE_STATE_DIR. */
const stateDir = /TRACKLANE_STATE_DIR=(\S+)/.exec(read('Dockerfile'))?.[1];
/** The services `npm run up` runs, but the demo's stand-in for an affiliate's server. */
const services = read('infra/services.conf')
  .split('\n')
  .filter((line) => line.trim() && !line.trim().startsWith('#'))
  .map((line) => line.trim().split(/\s+/))
  .filter(([name]) => name !== 'demo-receiver')
  .map(([name, port]) => ({ name, port: Number(port) }));
const documented = new Set([...read('README.md').matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((match) => match[1]));

describe('the Kubernetes example (infra/kubernetes/tracklane.yaml)', () => {
  it('runs every service on its port, with its own command, behind a Service', () => {
    for (const { name, port } of services) {
      const container = workload(name)?.spec.template?.spec.containers[0];
      expect({ name, command: container?.command.join(' '), port: container?.ports?.[0].containerPort }).toEqual({
        name,
        command: `node dist/apps/${name}/apps/${name}/src/main.js`,
        port,
      });
      expect(container?.env).toContainEqual({ name: 'PORT', value: String(port) });
      expect(manifests.some((manifest) => manifest.kind === 'Service' && manifest.metadata.name === name)).toBe(true);
    }
  });

  it('runs every pod under the restricted profile: non-root by number, no capabilities, read-only root filesystem', () => {
    for (const manifest of workloads) {
      const pod = manifest.spec.template?.spec;
      expect({ name: manifest.metadata.name, pod: pod?.securityContext }).toEqual({
        name: manifest.metadata.name,
        pod: expect.objectContaining({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } }),
      });
      for (const container of pod?.containers ?? []) {
        expect({ name: container.name, security: container.securityContext }).toEqual({
          name: container.name,
          security: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        });
      }
    }
    // The Dockerfile's user is the same number, and TRACKLANE_STATE_DIR is click-ingest's one writable volume, kept per instance.
    expect(read('Dockerfile')).toMatch(/^USER 1000:1000$/m);
    const clickIngest = workload('click-ingest');
    expect(clickIngest?.kind).toBe('StatefulSet');
    expect(clickIngest?.spec.template?.spec.containers[0].volumeMounts).toEqual([{ name: 'spool', mountPath: stateDir }]);
    expect(clickIngest?.spec.volumeClaimTemplates?.map((claim) => claim.metadata.name)).toEqual(['spool']);
    const others = workloads.filter((manifest) => manifest.metadata.name !== 'click-ingest');
    expect(others.flatMap((manifest) => manifest.spec.template?.spec.containers.flatMap((container) => container.volumeMounts ?? []))).toEqual([]);
  });

  it('probes liveness on /healthz and readiness on /readyz, and gives each pod time to drain', () => {
    const delayMs = Number(settings.SHUTDOWN_DELAY_MS);
    expect(delayMs).toBeGreaterThan(0);
    for (const { name } of services) {
      const pod = workload(name)?.spec.template?.spec;
      const container = pod?.containers[0];
      expect({ name, liveness: container?.livenessProbe?.httpGet, readiness: container?.readinessProbe?.httpGet }).toEqual({
        name,
        liveness: { path: '/healthz', port: 'http' },
        readiness: { path: '/readyz', port: 'http' },
      });
      // SIGTERM → not ready, SHUTDOWN_DELAY_MS of serving on, then at most SHUTDOWN_GRACE_MS of draining: all before SIGKILL.
      const graceMs = Number(container?.env?.find((entry) => entry.name === 'SHUTDOWN_GRACE_MS')?.value ?? defaultGraceMs(name));
      expect({ name, fits: delayMs + graceMs < (pod?.terminationGracePeriodSeconds ?? 30) * 1000 }).toEqual({ name, fits: true });
    }
  });

  it('sets only variables the services read, each documented in the README', () => {
    const names = [
      ...Object.keys(settings),
      ...workloads.flatMap((manifest) => manifest.spec.template?.spec.containers.flatMap((container) => (container.env ?? []).map((entry) => entry.name)) ?? []),
    ];
    expect(names.filter((name) => !documented.has(name))).toEqual([]);
  });
});

/** A service's SHUTDOWN_GRACE_MS default: its own env class's override (postback-dispatch finishes an attempt in flight), else every service's. */
function defaultGraceMs(name: string): number {
  const dir = join(WORKSPACE_ROOT, 'apps', name, 'src');
  const envClasses = readdirSync(dir).filter((file) => /env\.ts$/.test(file) && !file.endsWith('.spec.ts'));
  const own = envClasses.map((file) => /SHUTDOWN_GRACE_MS: number = ([\d_]+)/.exec(readFileSync(join(dir, file), 'utf8'))?.[1]).find(Boolean);
  return own ? Number(own.replace(/_/g, '')) : new ServiceEnv().SHUTDOWN_GRACE_MS;
}
