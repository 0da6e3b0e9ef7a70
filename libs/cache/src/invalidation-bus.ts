import type { Redis } from 'ioredis';

/** What changed in the catalogue; readers reload it. */
export interface Invalidation {
  entity: string;
  id: string | number | null;
}

export type InvalidationListener = (invalidation: Invalidation) => void;

/**
 * Tells every running service that configuration changed (Redis pub/sub).
 * The writer publishes after its transaction commits; readers drop what
 * they cached. A reader that was disconnected must reload everything, so
 * listeners also hear { entity: '*' } on every (re)subscription.
 */
export class InvalidationBus {
  private readonly channel: string;
  private readonly listeners = new Set<InvalidationListener>();
  private subscribed = false;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    prefix: string,
  ) {
    this.channel = `${prefix}tracklane:catalog-invalidations`;
  }

  async publish(invalidation: Invalidation): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(invalidation));
  }

  async subscribe(listener: InvalidationListener): Promise<void> {
    this.listeners.add(listener);
    if (this.subscribed) return;
    this.subscribed = true;
    this.subscriber.on('message', (channel: string, payload: string) => {
      if (channel !== this.channel) return;
      let invalidation: Invalidation;
      try {
        invalidation = JSON.parse(payload) as Invalidation;
      } catch {
        invalidation = { entity: '*', id: null };
      }
      for (const each of this.listeners) each(invalidation);
    });
    // ioredis re-subscribes after a reconnect; whatever was published meanwhile is lost, so reload all.
    this.subscriber.on('ready', () => {
      for (const each of this.listeners) each({ entity: '*', id: null });
    });
    await this.subscriber.subscribe(this.channel);
  }
}
