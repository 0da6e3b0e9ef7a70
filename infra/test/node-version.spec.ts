import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The project runs on the Node it brings (the `node` package, Node 24 LTS),
 * whatever Node the machine has: jest and its workers, and every process a
 * test or benchmark spawns with process.execPath, run on it.
 */
const ROOT = join(__dirname, '..', '..');
const wanted = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

describe('Node', () => {
  it('is the project’s own Node 24, as package.json pins it', () => {
    expect(process.version).toBe(`v${wanted.devDependencies.node}`);
    expect(process.versions.node.split('.')[0]).toBe('24');
    expect(wanted.engines.node).toBe('>=24.0.0 <25');
  });

  it('hands the same Node to the processes tests spawn', () => {
    expect(execFileSync(process.execPath, ['-p', 'process.version'], { encoding: 'utf8' }).trim()).toBe(process.version);
  });
});
