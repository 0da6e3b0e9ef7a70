import { runService } from '@tracklane/observability';
import { managementService } from './management.definition';

runService(managementService);
