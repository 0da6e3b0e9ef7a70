import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path and query as in the request line. */
  url: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
  /** The status answered, once answered; null while hanging or if the connection was dropped. */
  answered: number | null;
}

/** What to do with a request: answer with a status, never answer, or drop the connection. */
export type Reply = { status: number; body?: string; headers?: Record<string, string> } | 'hang' | 'drop';

export type Responder = (request: ReceivedRequest, received: ReceivedRequest[]) => Reply | Promise<Reply>;

/**
 * A real HTTP server standing in for a partner's endpoint in tests (an
 * affiliate receiving postbacks, an advertiser's landing page...): it
 * records every request and answers as the test scripts it to.
 */
export class HttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Requests being handled right now, and the most there ever were at once. */
  open = 0;
  maxOpen = 0;

  private readonly server: Server;

  private constructor(public respond: Responder) {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  /** Listens on a free port unless given one (two receivers on two loopback addresses may share a port). */
  static async start(options: { respond?: Responder; host?: string; port?: number } = {}): Promise<HttpReceiver> {
    const receiver = new HttpReceiver(options.respond ?? (() => ({ status: 200, body: 'ok' })));
    await new Promise<void>((resolve, reject) => {
      receiver.server.once('error', reject);
      receiver.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
    });
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests that got a 2xx. */
  succeeded(): ReceivedRequest[] {
    return this.requests.filter((request) => request.answered !== null && request.answered >= 200 && request.answered < 300);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const received: ReceivedRequest = {
      method: request.method ?? '',
      url: request.url ?? '',
      headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)])),
      body: Buffer.concat(chunks).toString('utf8'),
      receivedAt: Date.now(),
      answered: null,
    };
    this.requests.push(received);
    this.open++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    response.on('close', () => this.open--);
    const reply = await this.respond(received, this.requests);
    if (reply === 'hang') return;
    if (reply === 'drop') {
      request.socket.destroy();
      return;
    }
    response.writeHead(reply.status, reply.headers);
    response.end(reply.body ?? '', () => {
      received.answered = reply.status;
    });
  }
}
