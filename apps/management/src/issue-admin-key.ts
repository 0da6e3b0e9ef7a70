import { ApiKeysService, SYSTEM_ACTOR } from '@tracklane/network-admin';
import { ManagementEnv } from './management.env';
import { runOperatorTool } from './tools/operator-tool';

// The first admin key of a new network (or one more, for another operator):
//   node -r @swc-node/register apps/management/src/issue-admin-key.ts "<name>"
// Prints the key, which is shown this once.
const name = process.argv[2] ?? 'admin';

runOperatorTool('management-issue-admin-key', ManagementEnv, async (context) => {
  const issued = await context.get(ApiKeysService).create(SYSTEM_ACTOR, { name, role: 'admin' });
  return `${issued.key}\n`;
});
