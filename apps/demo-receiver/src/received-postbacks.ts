/** What the demo affiliate's server heard: the last postbacks, newest first. */
export interface ReceivedPostback {
  receivedAt: string;
  method: string;
  url: string;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  body: unknown;
}

export class ReceivedPostbacks {
  private readonly entries: ReceivedPostback[] = [];

  constructor(private readonly capacity = 1000) {}

  record(entry: ReceivedPostback): void {
    this.entries.unshift(entry);
    if (this.entries.length > this.capacity) this.entries.length = this.capacity;
  }

  list(): ReceivedPostback[] {
    return [...this.entries];
  }
}
