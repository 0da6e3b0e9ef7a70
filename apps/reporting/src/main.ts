import { runService } from '@tracklane/observability';
import { reportingService } from './reporting.service';

runService(reportingService);
