import { runService } from '@tracklane/observability';
import { clickIngest } from './click-ingest.service';

runService(clickIngest);
