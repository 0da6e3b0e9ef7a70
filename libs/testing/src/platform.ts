import { ServiceProcess } from './service-process';

export interface PlatformOptions {
  /** Environment every service gets (usually a TestStack's env). */
  env: Record<string, string>;
  /** App folders under apps/, started in this order. */
  apps: string[];
  /** Extra environment per app. */
  perApp?: Record<string, Record<string, string>>;
  /** Every app confined as in production (see ServiceProcessOptions.confined), each writing only to its directories listed here. */
  confined?: { writable: Record<string, string[]> };
}

/**
 * Several Tracklane services as real processes sharing one stack, for
 * end-to-end and fault tests: each can be killed (-9) and started again on
 * the same port.
 */
export class Platform {
  private readonly processes = new Map<string, ServiceProcess>();
  private readonly ports = new Map<string, string>();

  private constructor(private readonly options: PlatformOptions) {}

  static async start(options: PlatformOptions): Promise<Platform> {
    const platform = new Platform(options);
    try {
      for (const app of options.apps) await platform.start(app);
    } catch (error) {
      await platform.stop();
      throw error;
    }
    return platform;
  }

  url(app: string): string {
    const process = this.processes.get(app);
    if (!process) throw new Error(`${app} is not running`);
    return process.url;
  }

  /** Starts (or restarts) one service; a restarted service keeps its port (or the PORT given for it). */
  async start(app: string): Promise<ServiceProcess> {
    const port = this.ports.get(app) ?? this.options.perApp?.[app]?.PORT ?? '0';
    const process = await ServiceProcess.start({
      app,
      env: { ...this.options.env, ...this.options.perApp?.[app], PORT: port },
      confined: this.options.confined && { writable: this.options.confined.writable[app] ?? [] },
    });
    this.ports.set(app, new URL(process.url).port);
    this.processes.set(app, process);
    return process;
  }

  /** kill -9 one service. */
  async kill(app: string): Promise<void> {
    await this.processes.get(app)?.kill();
    this.processes.delete(app);
  }

  /** SIGTERM to one service, as an orchestrator stopping it; resolves with its exit code once it has drained and exited. */
  async terminate(app: string): Promise<number | null> {
    const process = this.processes.get(app);
    if (!process) return null;
    const code = await process.stop();
    this.processes.delete(app);
    return code;
  }

  /** The running service's process id. */
  pid(app: string): number {
    const process = this.processes.get(app);
    if (!process) throw new Error(`${app} is not running`);
    return process.pid;
  }

  logs(app: string): string {
    return this.processes.get(app)?.logs() ?? '';
  }

  /** Graceful stop of every service, in reverse start order. */
  async stop(): Promise<void> {
    const unclean: string[] = [];
    for (const app of [...this.options.apps].reverse()) {
      const process = this.processes.get(app);
      if (!process) continue;
      const code = await this.terminate(app);
      if (code !== 0) unclean.push(`${app} exited with ${code} on SIGTERM:\n${process.logs().slice(-2000)}`);
    }
    if (unclean.length > 0) throw new Error(unclean.join('\n\n'));
  }
}
