import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a V8 .cpuprofile (as written by `node --cpu-prof`) that self time needs. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  /** An npm package, `node (internal)`, `tracklane libs/<lib>`, or V8's own `(garbage collector)`, `(program)`. */
  owner: string;
  ms: number;
  /** Of the busy time: every sample but `(idle)`. */
  share: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  /** Self time of each owner's own functions. */
  shares: ProfileShare[];
  /**
   * Self time with Node's internals and native code charged to the nearest
   * caller of a package or of ours (kafkajs's socket writes count as
   * kafkajs's); what no package called (the event loop, the HTTP parser) stays
   * with Node.
   */
  charged: ProfileShare[];
}

const NODE_ITSELF = new Set(['node (internal)', 'node (native)']);

/** Who owns a function: the package its file belongs to, or the part of Node or V8 it is. */
export function ownerOf(url: string, functionName: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)' || functionName === '(program)' || functionName === '(idle)') return functionName;
    return 'node (native)';
  }
  if (url.startsWith('node:')) return 'node (internal)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const [first, second] = url.slice(modules + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  // Built apps hold their libs under dist/apps/<app>/libs/<lib>/: the innermost folder names the owner.
  const folders = [...url.matchAll(/\/(libs|apps)\/([^/]+)(?=\/)/g)];
  const lib = folders[folders.length - 1];
  if (lib) return `tracklane ${lib[1]}/${lib[2]}`;
  return 'other';
}

/** Self time of a profile by owner, largest first. */
export function summariseCpuProfile(profile: CpuProfile): ProfileSummary {
  const ownerById = new Map<number, string>();
  const parentById = new Map<number, number>();
  for (const node of profile.nodes) {
    ownerById.set(node.id, ownerOf(node.callFrame.url, node.callFrame.functionName));
    for (const child of node.children ?? []) parentById.set(child, node.id);
  }
  const chargedById = new Map<number, string>();
  const chargedOwner = (id: number): string => {
    const known = chargedById.get(id);
    if (known !== undefined) return known;
    const own = ownerById.get(id) ?? 'other';
    const parent = parentById.get(id);
    const charged = NODE_ITSELF.has(own) && parent !== undefined && !NODE_ITSELF.has(chargedOwner(parent)) ? chargedOwner(parent) : own;
    chargedById.set(id, charged);
    return charged;
  };
  const self = new Map<string, number>();
  const charged = new Map<string, number>();
  // timeDeltas[i] is the time before sample i; attribute it to the sample it precedes, as Chrome DevTools does.
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    const micros = Math.max(0, profile.timeDeltas[i] ?? 0);
    const owner = ownerById.get(id) ?? 'other';
    self.set(owner, (self.get(owner) ?? 0) + micros);
    const payer = owner === '(idle)' ? owner : chargedOwner(id);
    charged.set(payer, (charged.get(payer) ?? 0) + micros);
  }
  const idleMs = (self.get('(idle)') ?? 0) / 1000;
  self.delete('(idle)');
  charged.delete('(idle)');
  const busyMs = [...self.values()].reduce((sum, value) => sum + value, 0) / 1000;
  const sorted = (micros: Map<string, number>) =>
    [...micros.entries()]
      .map(([owner, value]) => ({ owner, ms: value / 1000, share: busyMs > 0 ? value / 1000 / busyMs : 0 }))
      .sort((a, b) => b.ms - a.ms);
  return { busyMs, idleMs, shares: sorted(self), charged: sorted(charged) };
}

export function readCpuProfile(path: string): ProfileSummary {
  return summariseCpuProfile(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile);
}

/** The .cpuprofile files `node --cpu-prof --cpu-prof-dir=<dir>` left there, oldest first. */
export function cpuProfilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort()
    .map((name) => join(dir, name));
}

export interface ProfileScale {
  /** Operations (requests, messages) the process handled while profiled. */
  operations: number;
  /**
   * CPU seconds the process really used meanwhile (from /proc). V8 samples
   * on a wall clock, so on a busy machine time spent waiting for a core is
   * charged to whatever was on the stack; each owner's share of the samples
   * is therefore applied to this measured CPU time.
   */
  cpuSeconds: number;
}

/**
 * Two tables, side by side: self time by owner, and the same time with Node's
 * internals charged to the package that called them, each as a share of the
 * busy samples and, with `scale`, as µs of CPU per operation.
 */
export function formatProfileSummary(summary: ProfileSummary, scale?: ProfileScale, top = 14): string {
  const perOperation = scale && scale.operations > 0 && Number.isFinite(scale.cpuSeconds) ? (scale.cpuSeconds * 1e6) / scale.operations : null;
  const amount = (share: number) => (perOperation === null ? '' : (share * perOperation).toFixed(1).padStart(8));
  const rowsOf = (shares: ProfileShare[]) => {
    const shown = shares.slice(0, top);
    const rest = shares.slice(top).reduce((sum, share) => sum + share.share, 0);
    return rest > 0 ? [...shown, { owner: `(${shares.length - top} more)`, ms: 0, share: rest }] : shown;
  };
  const cell = (share: ProfileShare | undefined) =>
    share ? `${share.owner.padEnd(30)} ${(share.share * 100).toFixed(1).padStart(5)} %${amount(share.share)}` : '';
  const self = rowsOf(summary.shares);
  const charged = rowsOf(summary.charged);
  const unit = perOperation === null ? '' : ' µs/op'.padStart(8);
  const lines = [
    perOperation === null
      ? `busy samples ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms`
      : `CPU ${perOperation.toFixed(1)} µs per operation (${scale?.cpuSeconds.toFixed(2)} s for ${scale?.operations} operations); ` +
        `busy samples ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms`,
    `  ${'self time'.padEnd(30)} ${'share'.padStart(7)}${unit}    ${'Node internals charged to their caller'}`,
  ];
  for (let i = 0; i < Math.max(self.length, charged.length); i++) {
    lines.push(`  ${cell(self[i]).padEnd(39 + unit.length)}    ${cell(charged[i])}`);
  }
  return lines.join('\n');
}
