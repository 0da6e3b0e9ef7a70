import { WORKSPACE_ROOT } from '@tracklane/testing';
import { spawnSync } from 'node:child_process';

// The committed documents and types must be what the services' code produces today: a DTO or
// controller changed without `npm run api-client:generate` fails here (no database needed).
describe('the typed client', () => {
  it('is generated from the documents the services build now', () => {
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'tools/api-client/generate.ts', '--check'], {
      cwd: WORKSPACE_ROOT,
      encoding: 'utf8',
      timeout: 170_000,
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  }, 180_000);
});
