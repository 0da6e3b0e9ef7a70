import { join } from 'node:path';

/** The repository root, wherever the tests run from. */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');
