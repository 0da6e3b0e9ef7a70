import { demoInstructions, DemoNetworkSeeder } from '@tracklane/network-admin';
import { Matches } from 'class-validator';
import { BASE_URL, baseUrl, ManagementEnv } from './management.env';
import { runOperatorTool } from './tools/operator-tool';

class SeedEnv extends ManagementEnv {
  @Matches(BASE_URL, { message: 'MANAGEMENT_URL must be an http(s) base URL' })
  MANAGEMENT_URL: string = 'http://127.0.0.1:8082';

  @Matches(BASE_URL, { message: 'REPORTING_URL must be an http(s) base URL' })
  REPORTING_URL: string = 'http://127.0.0.1:8083';

  /** The small local receiver that stands in for the demo affiliate's server. */
  @Matches(BASE_URL, { message: 'DEMO_RECEIVER_URL must be an http(s) base URL' })
  DEMO_RECEIVER_URL: string = 'http://127.0.0.1:8086';
}

// `npm run up` runs this (DATABASE_URL set, migrations applied) and shows its output.
runOperatorTool('management-seed', SeedEnv, async (context, env) => {
  const demo = await context.get(DemoNetworkSeeder).ensure({ receiverUrl: baseUrl(env.DEMO_RECEIVER_URL) });
  return demoInstructions(demo, {
    clickIngestUrl: baseUrl(env.CLICK_INGEST_URL),
    postbackIngestUrl: baseUrl(env.POSTBACK_INGEST_URL),
    reportingUrl: baseUrl(env.REPORTING_URL),
    managementUrl: baseUrl(env.MANAGEMENT_URL),
  });
});
