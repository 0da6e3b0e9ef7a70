import { runService } from '../src';
import { fixtureService } from './fixture-service';

runService(fixtureService);
