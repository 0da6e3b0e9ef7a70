import { ClientAddresses } from './client-address';

describe('ClientAddresses', () => {
  it('uses the socket address when no proxy is trusted', () => {
    expect(new ClientAddresses([]).of('::ffff:198.51.100.7', '203.0.113.1')).toBe('198.51.100.7');
  });

  it('believes X-Forwarded-For only from a trusted proxy, up to the first untrusted hop', () => {
    const addresses = new ClientAddresses(['10.0.0.0/8']);
    expect(addresses.of('10.0.0.2', '6.6.6.6, 203.0.113.1, 10.0.0.9')).toBe('203.0.113.1');
    expect(addresses.of('198.51.100.7', '203.0.113.1')).toBe('198.51.100.7');
    expect(addresses.of('10.0.0.2', undefined)).toBe('10.0.0.2');
    expect(addresses.of('10.0.0.2', '10.0.0.5, 10.0.0.9')).toBe('10.0.0.5');
  });

  it('refuses to start with a proxy list it cannot read', () => {
    expect(() => new ClientAddresses(['10.0.0.0/99'])).toThrow(/10\.0\.0\.0\/99/);
  });
});
