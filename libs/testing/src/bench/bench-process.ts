import { ChildProcess, spawn } from 'node:child_process';
import { waitFor } from '../wait';
import { WORKSPACE_ROOT } from '../workspace';
import { cpuSecondsOf } from './bench-machine';
import { CpuProfile } from './cpu-profile';

export interface BenchProcessOptions {
  /** Names the process in messages. */
  name: string;
  /** Arguments to this Node (process.execPath: the project's Node 24), e.g. the built main.js. */
  args: string[];
  env?: Record<string, string>;
  /** Answers 2xx (or a redirect) once the process is ready. */
  readyUrl: string;
  /** Starts the V8 inspector (loopback, any port) so that `profile` can record a CPU profile of a chosen stretch. */
  inspect?: boolean;
}

interface InspectorMessage {
  id?: number;
  result?: { profile?: CpuProfile };
  error?: { message: string };
}

/**
 * A server under benchmark, as its own process on the project's Node: its
 * CPU time read from /proc, and CPU profiles of exactly the measured
 * stretch through the inspector (a `--cpu-prof` profile would include
 * start-up and warm-up).
 */
export class BenchProcess {
  private output = '';
  private inspectorUrl: string | null = null;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
      this.inspectorUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(this.output)?.[1] ?? null;
    });
  }

  static async start(options: BenchProcessOptions): Promise<BenchProcess> {
    const args = options.inspect ? ['--inspect=127.0.0.1:0', ...options.args] : options.args;
    const child = spawn(process.execPath, args, {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new BenchProcess(options.name, child);
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`${options.name} exited with ${child.exitCode}:\n${server.output}`);
          const response = await fetch(options.readyUrl, { redirect: 'manual' }).catch(() => null);
          return response !== null && response.status < 400 && (!options.inspect || server.inspectorUrl !== null);
        },
        { what: `${options.name} at ${options.readyUrl}`, timeoutMs: 90_000, intervalMs: 200 },
      );
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** CPU seconds the process used so far. */
  cpuSeconds(): number {
    return cpuSecondsOf(this.child.pid);
  }

  /** The last lines the process wrote. */
  logs(): string {
    return this.output;
  }

  /** Runs `during` while V8 samples the process's CPU; needs `inspect`. */
  async profile<T>(during: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
    if (!this.inspectorUrl) throw new Error(`${this.name} was started without inspect`);
    const socket = new WebSocket(this.inspectorUrl);
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot reach ${this.name}'s inspector`)), { once: true });
    });
    let nextId = 1;
    const waiting = new Map<number, { resolve: (message: InspectorMessage) => void; reject: (error: Error) => void }>();
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as InspectorMessage;
      const caller = message.id === undefined ? undefined : waiting.get(message.id);
      if (!caller) return;
      waiting.delete(message.id as number);
      if (message.error) caller.reject(new Error(message.error.message));
      else caller.resolve(message);
    });
    const call = (method: string, params: object = {}) =>
      new Promise<InspectorMessage>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, params }));
      });
    try {
      await call('Profiler.enable');
      await call('Profiler.start');
      const result = await during();
      const stopped = await call('Profiler.stop');
      if (!stopped.result?.profile) throw new Error(`${this.name} returned no profile`);
      return { result, profile: stopped.result.profile };
    } finally {
      socket.close();
    }
  }

  /** SIGTERM, and wait until it exited. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
