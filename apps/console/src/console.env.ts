import { ServiceEnv } from '@tracklane/config';
import { IsString, Matches } from 'class-validator';
import { resolve } from 'node:path';

const BASE_URL = /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/;

export class ConsoleEnv extends ServiceEnv {
  /** The management API the console's /api/management/v1/… calls go to. */
  @Matches(BASE_URL, { message: 'MANAGEMENT_URL must be an http(s) base URL' })
  MANAGEMENT_URL: string = 'http://127.0.0.1:8082';

  /** The reporting API the console's /api/reporting/v1/… calls go to. */
  @Matches(BASE_URL, { message: 'REPORTING_URL must be an http(s) base URL' })
  REPORTING_URL: string = 'http://127.0.0.1:8083';

  /** postback-ingest, whose conversion upload (only) the console's /api/postback/v1/conversions/upload goes to. */
  @Matches(BASE_URL, { message: 'POSTBACK_URL must be an http(s) base URL' })
  POSTBACK_URL: string = 'http://127.0.0.1:8081';

  /** The built web app (vite build); by default the one built beside this server in dist/apps/console/web. */
  @IsString()
  CONSOLE_ASSETS_DIR: string = resolve(__dirname, '../../../web');
}
