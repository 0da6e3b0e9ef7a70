import { ReceivedPostbacks } from './received-postbacks';

describe('the demo receiver', () => {
  it('keeps the newest postbacks first and forgets the oldest beyond its capacity', () => {
    const received = new ReceivedPostbacks(2);
    for (const url of ['/postback?n=1', '/postback?n=2', '/postback?n=3']) {
      received.record({ receivedAt: '', method: 'GET', url, query: {}, headers: {}, body: null });
    }
    expect(received.list().map((entry) => entry.url)).toEqual(['/postback?n=3', '/postback?n=2']);
  });
});
