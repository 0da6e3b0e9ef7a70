import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './workspace';

export interface ServiceProcessOptions {
  /** App folder under apps/, e.g. "click-ingest". */
  app: string;
  env: Record<string, string>;
  /** Compiling and starting a service on a loaded two-core machine has taken over 30 s. */
  startTimeoutMs?: number;
}

const DEFAULT_START_TIMEOUT_MS = 60_000;

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
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(WORKSPACE_ROOT, 'apps', options.app, 'src', 'main.ts')],
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
