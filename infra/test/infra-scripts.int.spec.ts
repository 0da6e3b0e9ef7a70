import { clicksV1, conversionsV1, topicNames } from '@tracklane/contracts';
import { createKafka } from '@tracklane/messaging';
import { DedicatedKafkaBroker, freePort, freePortRange, WORKSPACE_ROOT } from '@tracklane/testing';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether anything accepts TCP connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('infra scripts against a real broker', () => {
  let broker: DedicatedKafkaBroker;

  beforeAll(async () => {
    broker = await DedicatedKafkaBroker.create();
  });
  afterAll(() => broker?.destroy());

  it('start is idempotent: a second start finds the running broker', async () => {
    const started = Date.now();
    await broker.start();
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('create every contract topic with the configured partition count, and leave them alone when run again', async () => {
    const prefix = `infra${Date.now()}.`;
    const create = () =>
      run(process.execPath, ['-r', '@swc-node/register', join(WORKSPACE_ROOT, 'infra/create-topics.ts')], {
        cwd: WORKSPACE_ROOT,
        env: { ...process.env, KAFKA_BROKERS: broker.brokers, KAFKA_TOPIC_PREFIX: prefix, KAFKA_PARTITIONS: '12' },
      });
    expect((await create()).stdout).toContain(`created ${prefix}clicks.v1`);
    expect((await create()).stdout).toContain('all present');

    const admin = createKafka({ brokers: broker.brokers, clientId: 'infra-test' }).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({
        topics: [topicNames(clicksV1, prefix).main, topicNames(conversionsV1, prefix).main, topicNames(clicksV1, prefix).deadLetter],
      });
      expect(Object.fromEntries(topics.map((topic) => [topic.name, topic.partitions.length]))).toEqual({
        [`${prefix}clicks.v1`]: 12,
        [`${prefix}conversions.v1`]: 12,
        [`${prefix}clicks.dlq.v1`]: 1,
      });
    } finally {
      await admin.disconnect();
    }
  });

  it('stop is clean and may be repeated; the broker comes back with its data', async () => {
    await broker.stop();
    // The broker itself is gone, not only the shell that started it.
    expect(await accepts(broker.port)).toBe(false);
    await broker.stop();
    await broker.start();
    const admin = createKafka({ brokers: broker.brokers, clientId: 'infra-test' }).admin();
    await admin.connect();
    try {
      expect((await admin.listTopics()).some((name) => name.endsWith('clicks.v1'))).toBe(true);
    } finally {
      await admin.disconnect();
    }
  });
});

describe('up and test know whether they started the broker (so down and the test command stop it)', () => {
  const work = mkdtempSync(join(tmpdir(), 'tracklane-ensure-kafka-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ensure_kafka answers "started" on a fresh machine even when Maven prints on stdout while fetching the broker', async () => {
    // A Maven that talks on stdout, as it does when it downloads; the jars still come from the real one.
    const realMaven = (await run('bash', ['-c', 'command -v mvn'])).stdout.trim();
    const bin = join(work, 'bin');
    await run('mkdir', ['-p', bin]);
    writeFileSync(join(bin, 'mvn'), `#!/usr/bin/env bash\necho "[INFO] Downloading from central"\nexec ${realMaven} "$@"\n`);
    chmodSync(join(bin, 'mvn'), 0o755);
    const port = await freePort();
    const env = {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      KAFKA_BROKERS: `127.0.0.1:${port}`,
      KAFKA_CONTROLLER_PORT: String(await freePort()),
      KAFKA_HEAP: '256m',
      // Nothing cached: the broker's jars are fetched as on a new machine.
      TRACKLANE_CACHE_DIR: join(work, 'cache'),
      KAFKA_STATE_DIR: join(work, 'kafka'),
    };
    const ensure = () => run('bash', ['-c', 'source infra/lib.sh && ensure_kafka'], { cwd: WORKSPACE_ROOT, env, timeout: 180_000 });
    try {
      expect((await ensure()).stdout).toBe('started\n');
      expect(await accepts(port)).toBe(true);
      // A second call finds it running and says nothing: the caller did not start it.
      expect((await ensure()).stdout).toBe('');
    } finally {
      await run('bash', ['-c', 'source infra/lib.sh && stop_kafka'], { cwd: WORKSPACE_ROOT, env, timeout: 90_000 });
    }
    expect(await accepts(port)).toBe(false);
  }, 240_000);

  it('down stops every node of a cluster up started, though its own shell does not say KAFKA_CLUSTER', async () => {
    const base = await freePortRange(6);
    const nodes = [base, base + 2, base + 4];
    const state = join(work, 'cluster-state');
    const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_PORT: String(base), KAFKA_STATE_DIR: join(work, 'cluster'), TRACKLANE_STATE_DIR: state };
    delete env.KAFKA_CLUSTER;
    await run('bash', ['infra/kafka/kafka.sh', 'start'], { cwd: WORKSPACE_ROOT, env: { ...env, KAFKA_CLUSTER: '3' }, timeout: 180_000 });
    try {
      expect(await Promise.all(nodes.map(accepts))).toEqual([true, true, true]);
      // What `KAFKA_CLUSTER=3 npm run up` leaves for down when it started the cluster.
      mkdirSync(join(state, 'run'), { recursive: true });
      writeFileSync(join(state, 'run', 'kafka.started-by-up'), '3\n');
      await run('bash', ['infra/down.sh'], { cwd: WORKSPACE_ROOT, env: { ...env, KAFKA_BROKERS: `127.0.0.1:${base}` }, timeout: 120_000 });
      expect(await Promise.all(nodes.map(accepts))).toEqual([false, false, false]);
    } finally {
      await run('bash', ['infra/kafka/kafka.sh', 'kill'], { cwd: WORKSPACE_ROOT, env: { ...env, KAFKA_CLUSTER: '3' }, timeout: 60_000 }).catch(() => undefined);
    }
  }, 300_000);
});
