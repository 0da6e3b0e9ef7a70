import { offerTargetingProblem } from '@tracklane/catalog';
import { ValidationOptions } from 'class-validator';
import { checkedBy } from './checked';

/** An offer's targeting, checked by the rules click-ingest applies it with (@tracklane/catalog). */
export const IsOfferTargeting = (options?: ValidationOptions) => checkedBy('isOfferTargeting', offerTargetingProblem, options);
