import { AddressPolicy } from '@tracklane/address-policy';
import { freePort, HttpReceiver, waitFor } from '@tracklane/testing';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dnsServersResolver, PostbackSender, Resolver } from '../src';

const NAME = 'postbacks.affiliate-rebind.net';

/**
 * DNS rebinding against a real DNS server (dnsmasq, which infra/test.sh
 * installs from Debian's dnsmasq-base): a name the affiliate controls first
 * answers with an allowed address, then, with a TTL of 0, with another
 * internal one. Every new connection resolves and checks again, and
 * connects to the address it checked.
 */
describe('PostbackSender and a name that rebinds (real DNS server)', () => {
  let dnsmasq: ChildProcess;
  let dir: string;
  let resolver: Resolver;
  let allowed: HttpReceiver;
  let internal: HttpReceiver;
  let policy: AddressPolicy;
  const senders: PostbackSender[] = [];

  let dnsmasqLog = '';
  const hosts = (lines: string[]) => writeFileSync(join(dir, 'hosts'), `${lines.join('\n')}\n`, { mode: 0o644 });
  const answering = (expected: string[]) =>
    waitFor(
      () => {
        if (dnsmasq.exitCode !== null) throw new Error(`dnsmasq exited (${dnsmasq.exitCode}): ${dnsmasqLog}`);
        return new Promise<boolean>((resolve) =>
          resolver(NAME, (_error, addresses) => {
            const got = addresses.map((found) => found.address);
            resolve(got.length >= expected.length && expected.every((address) => got.includes(address)));
          }),
        );
      },
      { what: `dnsmasq answering ${expected.join(', ')}`, timeoutMs: 30_000 },
    );
  const answer = async (lines: string[], expected: string[]) => {
    hosts(lines);
    dnsmasq.kill('SIGHUP'); // re-reads the hosts file (only ever sent once it answers: before, SIGHUP would end it)
    await answering(expected);
  };
  const send = (url: string) => {
    // A new sender has no kept-alive connection: it must resolve again, as any new connection does.
    const sender = new PostbackSender({ timeoutMs: 2_000, policy, resolver });
    senders.push(sender);
    return sender.send({ method: 'GET', url, body: null, headers: {} });
  };

  beforeAll(async () => {
    // /usr/sbin is not on every user's PATH.
    const binary = ['dnsmasq', '/usr/sbin/dnsmasq'].find((candidate) => spawnSync(candidate, ['--version']).status === 0);
    if (!binary) {
      throw new Error('dnsmasq is not installed: infra/test.sh installs it (apt-get install dnsmasq-base); this test needs a real DNS server');
    }
    dir = mkdtempSync(join(tmpdir(), 'tracklane-dns-'));
    chmodSync(dir, 0o755); // dnsmasq started as root reads it as nobody
    hosts([`127.0.0.3 ${NAME}`]);
    const dnsPort = await freePort();
    dnsmasq = spawn(
      binary,
      [
        '--keep-in-foreground',
        '--conf-file=/dev/null',
        '--no-resolv',
        '--no-hosts',
        '--bind-interfaces',
        '--listen-address=127.0.0.1',
        `--port=${dnsPort}`,
        `--addn-hosts=${join(dir, 'hosts')}`,
        '--local-ttl=0',
        '--local=/affiliate-rebind.net/', // answered here only: no AAAA is "no data", not "refused"
        '--pid-file=',
        '--log-facility=-',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    dnsmasq.stderr?.on('data', (chunk: Buffer) => (dnsmasqLog += chunk.toString()));
    resolver = dnsServersResolver([`127.0.0.1:${dnsPort}`], 1_000);
    await answering(['127.0.0.3']);
    // Two services on one port: the allowed one on 127.0.0.3, an internal one on 127.0.0.2.
    allowed = await HttpReceiver.start({ host: '127.0.0.3' });
    internal = await HttpReceiver.start({ host: '127.0.0.2', port: allowed.port });
    policy = new AddressPolicy([`http://127.0.0.3:${allowed.port}`]);
  });
  afterAll(async () => {
    senders.forEach((sender) => sender.close());
    dnsmasq?.kill('SIGTERM');
    await Promise.all([allowed?.close(), internal?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('delivers while the name points at the allowed target, and refuses once it points elsewhere', async () => {
    const url = `http://${NAME}:${allowed.port}/pb?c=1`;
    expect(await send(url)).toMatchObject({ kind: 'delivered', statusCode: 200 });
    expect(allowed.requests).toHaveLength(1);

    await answer([`127.0.0.2 ${NAME}`], ['127.0.0.2']);
    expect(await send(url)).toMatchObject({
      kind: 'refused',
      error: `target refused: ${NAME} resolves to an address that is not public`,
      detail: `${NAME} resolves to 127.0.0.2, a loopback address`,
    });
    expect(internal.requests).toHaveLength(0);
  });

  it('refuses a name with one internal address among public ones', async () => {
    await answer([`93.184.216.34 ${NAME}`, `127.0.0.2 ${NAME}`, `::ffff:127.0.0.2 ${NAME}`], ['93.184.216.34', '127.0.0.2']);
    expect(await send(`http://${NAME}:${allowed.port}/pb`)).toMatchObject({ kind: 'refused' });
    expect(internal.requests).toHaveLength(0);
  });
});
