import { runService } from '@tracklane/observability';
import { postbackDispatchService } from './postback-dispatch.service';

runService(postbackDispatchService);
