import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

const START_TIMEOUT_MS = 10_000;

/**
 * A Redis server of a test's own, without persistence (no RDB snapshots, no
 * append-only file), for fault tests that kill and restart Redis without
 * disturbing the shared one other suites use. A restart on the same port
 * comes back empty, as a production Redis without persistence does.
 */
export class DedicatedRedis {
  private server: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  static async create(): Promise<DedicatedRedis> {
    const redis = new DedicatedRedis(await freePort(), mkdtempSync(join(tmpdir(), 'tracklane-redis-')));
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) on its port; resolves once it accepts connections. */
  start(): Promise<void> {
    if (this.server) return Promise.resolve();
    const server = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dataDir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.server = server;
    return new Promise((resolve, reject) => {
      let output = '';
      const fail = (error: Error) => {
        clearTimeout(timer);
        server.kill('SIGKILL');
        this.server = null;
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
      const onOutput = (chunk: Buffer) => {
        output += chunk.toString();
        if (!output.includes('Ready to accept connections')) return;
        clearTimeout(timer);
        server.stdout?.off('data', onOutput);
        server.stdout?.resume();
        server.off('exit', onEarlyExit);
        resolve();
      };
      const onEarlyExit = (code: number | null) => fail(new Error(`redis-server exited with ${code} before it was ready:\n${output}`));
      server.stdout?.on('data', onOutput);
      server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      server.once('exit', onEarlyExit);
      server.once('error', fail);
    });
  }

  /** SIGKILL, as in a crash: everything in memory is gone. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
