import { runService } from '@tracklane/observability';
import { attributionService } from './attribution.service';

runService(attributionService);
