import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Kafka } from 'kafkajs';
import { freePortRange } from './ports';
import { WORKSPACE_ROOT } from './workspace';

const run = promisify(execFile);

/**
 * A three-node KRaft cluster of a test's own (infra/kafka/kafka.sh's cluster
 * mode: each node broker and controller, replication factor 3 and
 * min.insync.replicas 2 by default), for fault tests that kill and stop
 * single nodes. Node N has node id N; its data lives in a temporary
 * directory until `destroy`.
 */
export class KafkaCluster {
  private constructor(
    private readonly basePort: number,
    readonly nodes: number,
    private readonly stateDir: string,
  ) {}

  static async create(nodes = 3): Promise<KafkaCluster> {
    const cluster = new KafkaCluster(await freePortRange(2 * nodes), nodes, mkdtempSync(join(tmpdir(), 'tracklane-kafka-cluster-')));
    await cluster.script('start');
    return cluster;
  }

  /** The bootstrap list, every node. */
  get brokers(): string {
    return Array.from({ length: this.nodes }, (_, index) => `127.0.0.1:${this.basePort + 2 * index}`).join(',');
  }

  async startNode(node: number): Promise<void> {
    await this.script('start-node', String(node));
  }

  /** Graceful stop (SIGTERM) of one node. */
  async stopNode(node: number): Promise<void> {
    await this.script('stop-node', String(node));
  }

  /** SIGKILL of one node, as in a crash. */
  async killNode(node: number): Promise<void> {
    await this.script('kill-node', String(node));
  }

  /** The node that leads most partitions of these topics. */
  async leaderOfMost(kafka: Kafka, topics: string[]): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      const led = new Map<number, number>();
      for (const topic of metadata.topics) for (const partition of topic.partitions) led.set(partition.leader, (led.get(partition.leader) ?? 0) + 1);
      return [...led.entries()].sort((a, b) => b[1] - a[1])[0][0];
    } finally {
      await admin.disconnect();
    }
  }

  async destroy(): Promise<void> {
    await this.script('kill').catch(() => undefined);
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  private async script(...args: string[]): Promise<void> {
    await run('bash', [join(WORKSPACE_ROOT, 'infra/kafka/kafka.sh'), ...args], {
      env: { ...process.env, KAFKA_PORT: String(this.basePort), KAFKA_CLUSTER: String(this.nodes), KAFKA_STATE_DIR: this.stateDir },
      timeout: 120_000,
    });
  }
}
