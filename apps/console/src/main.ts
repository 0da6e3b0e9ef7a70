import { runService } from '@tracklane/observability';
import { consoleService } from './console.definition';

runService(consoleService);
