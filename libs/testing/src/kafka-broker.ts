import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports';
import { WORKSPACE_ROOT } from './workspace';

const run = promisify(execFile);

/**
 * A Kafka broker of a test's own (same jars and script as `npm run up`), for
 * fault tests that stop, kill and restart the broker without disturbing
 * other suites. Its data lives in a temporary directory until `destroy`.
 */
export class DedicatedKafkaBroker {
  private constructor(
    readonly port: number,
    private readonly controllerPort: number,
    private readonly stateDir: string,
  ) {}

  static async create(): Promise<DedicatedKafkaBroker> {
    const port = await freePort();
    const controllerPort = await freePort();
    const broker = new DedicatedKafkaBroker(port, controllerPort, mkdtempSync(join(tmpdir(), 'tracklane-kafka-')));
    await broker.start();
    return broker;
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    await this.script('start');
  }

  /** Graceful stop (SIGTERM). */
  async stop(): Promise<void> {
    await this.script('stop');
  }

  /** SIGKILL, as in a crash. */
  async kill(): Promise<void> {
    await this.script('kill');
  }

  /**
   * Freezes the broker (SIGSTOP to its process group): connections stay
   * open and requests go unanswered, as with a broker stalled by GC or I/O.
   */
  pause(): void {
    process.kill(-this.processGroup(), 'SIGSTOP');
  }

  resume(): void {
    process.kill(-this.processGroup(), 'SIGCONT');
  }

  async destroy(): Promise<void> {
    await this.script('kill').catch(() => undefined);
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  /** kafka.sh starts the broker in a session of its own; its pid file names the session leader. */
  private processGroup(): number {
    return Number(readFileSync(join(this.stateDir, 'kafka.pid'), 'utf8').trim());
  }

  private async script(command: string): Promise<void> {
    await run('bash', [join(WORKSPACE_ROOT, 'infra/kafka/kafka.sh'), command], {
      env: {
        ...process.env,
        KAFKA_PORT: String(this.port),
        KAFKA_CONTROLLER_PORT: String(this.controllerPort),
        KAFKA_STATE_DIR: this.stateDir,
        KAFKA_HEAP: '256m',
      },
      timeout: 90_000,
    });
  }
}
