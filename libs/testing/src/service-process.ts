import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { WORKSPACE_ROOT } from './workspace';

export interface ServiceProcessOptions {
  /** App folder under apps/, e.g. "click-ingest". */
  app: string;
  env: Record<string, string>;
  /** Compiling and starting a service on a loaded two-core machine has taken over 30 s. */
  startTimeoutMs?: number;
  /**
   * Run the service as its container image is run in production: as an unprivileged user (nobody), with
   * the whole filesystem read-only except these directories (each an empty tmpfs of its own, as a volume).
   */
  confined?: { writable: string[] };
}

const DEFAULT_START_TIMEOUT_MS = 60_000;

/** Where a confined service sees the workspace: a checkout in a private temporary directory is not readable by nobody. */
const CONFINED_WORKSPACE = '/srv/tracklane';
const NOBODY = '65534';

/**
 * The service compiled on the fly by SWC; confined, inside a private mount namespace (util-linux `unshare`, as
 * root) that remounts `/` read-only, mounts a tmpfs on each writable directory and drops to nobody with no
 * capabilities before it runs Node. `unshare` and `setpriv` exec rather than fork, so the pid is the service's.
 */
function commandLine(options: ServiceProcessOptions): string[] {
  const main = ['-r', '@swc-node/register', `apps/${options.app}/src/main.ts`];
  if (!options.confined) return [process.execPath, ...main];
  const node = process.execPath.startsWith(`${WORKSPACE_ROOT}/`)
    ? `${CONFINED_WORKSPACE}${process.execPath.slice(WORKSPACE_ROOT.length)}`
    : process.execPath;
  const script = [
    'set -e',
    `mount -t tmpfs -o size=1m,mode=0755 tmpfs /srv && mkdir ${CONFINED_WORKSPACE}`,
    `mount --bind "$0" ${CONFINED_WORKSPACE} && mount -o remount,bind,ro ${CONFINED_WORKSPACE} && mount -o remount,ro /srv`,
    `for dir in "$@"; do mount -t tmpfs -o size=256m,mode=0700,uid=${NOBODY},gid=${NOBODY} tmpfs "$dir"; done`,
    'mount -o remount,bind,ro /',
    `cd ${CONFINED_WORKSPACE}`,
    `exec setpriv --reuid=${NOBODY} --regid=${NOBODY} --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs -- "${node}" ${main.join(' ')}`,
  ].join('\n');
  for (const dir of options.confined.writable) mkdirSync(dir, { recursive: true });
  return ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', script, WORKSPACE_ROOT, ...options.confined.writable];
}

/**
 * A Tracklane service running as its own OS process (TypeScript compiled on
 * the fly by SWC), for tests that kill -9 it, restart it, or run several
 * instances. Resolves once the service logs that it is listening.
 */
export class ServiceProcess {
  private output = '';
  readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(options: ServiceProcessOptions): Promise<ServiceProcess> {
    const [command, ...args] = commandLine(options);
    const child = spawn(
      command,
      args,
      {
        cwd: WORKSPACE_ROOT,
        env: {
          ...process.env,
          PORT: '0',
          LOG_LEVEL: 'info',
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${options.app} did not start within ${options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS} ms:\n${output}`));
      }, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"url":"(http:\/\/[^"]+)".*"msg":"listening"/.exec(output);
        if (match) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          const service = new ServiceProcess(child, match[1]);
          service.output = output;
          child.stdout?.on('data', (more: Buffer) => (service.output += more.toString()));
          child.stderr?.on('data', (more: Buffer) => (service.output += more.toString()));
          resolve(service);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${options.app} exited with ${code} before it was listening:\n${output}`));
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Everything the process wrote so far (pino JSON lines). */
  logs(): string {
    return this.output;
  }

  /** kill -9: no shutdown hook runs. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and wait for the graceful shutdown; returns the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    return this.exited;
  }
}
