import { runService } from '@tracklane/observability';
import { postbackIngest } from './postback-ingest.service';

runService(postbackIngest);
