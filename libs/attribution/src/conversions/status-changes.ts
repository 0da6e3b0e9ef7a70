import { AttributionStatus, ConversionV1 } from '@tracklane/contracts';
import { LedgerEntry, statusChangeEntries } from '../money/ledger-entries';
import { statusTransition } from '../rules/status';
import { StatusChangeRecord } from './attribution-events';
import { ConversionRecord } from './conversion-record';

export interface ConversionState {
  record: ConversionRecord;
  /** The last status change's status, else the decision's. */
  current: AttributionStatus;
}

export interface StatusChangeOutcome {
  applied: Array<{ record: ConversionRecord; change: StatusChangeRecord }>;
  entries: LedgerEntry[];
  /** Changes that change nothing: a repeat, a move the conversion does not accept, or no status at all. */
  ignored: Array<{ message: ConversionV1; why: 'unchanged' | 'not_allowed' | 'no_status' }>;
  /** Changes of conversions not booked (yet): they wait like conversions wait for clicks. */
  unknown: ConversionV1[];
  /** Changes an advertiser sent for another advertiser's conversion. */
  foreign: ConversionV1[];
}

/**
 * Applies status changes in order to the conversions' current statuses,
 * producing the change rows and their ledger entries. Several changes of one
 * conversion in one batch see each other.
 */
export function applyStatusChanges(
  messages: ConversionV1[],
  states: ReadonlyMap<string, ConversionState>,
  changedAt: number,
): StatusChangeOutcome {
  const current = new Map([...states].map(([id, state]) => [id, state.current]));
  const outcome: StatusChangeOutcome = { applied: [], entries: [], ignored: [], unknown: [], foreign: [] };
  for (const message of messages) {
    const state = states.get(message.conversionId);
    if (!state) {
      outcome.unknown.push(message);
      continue;
    }
    if (state.record.advertiserId !== message.advertiserId) {
      outcome.foreign.push(message);
      continue;
    }
    if (message.status === null) {
      outcome.ignored.push({ message, why: 'no_status' });
      continue;
    }
    const from = current.get(message.conversionId) as AttributionStatus;
    const transition = statusTransition(from, message.status);
    if (!transition.ok) {
      outcome.ignored.push({ message, why: transition.why });
      continue;
    }
    current.set(message.conversionId, message.status);
    const change: StatusChangeRecord = {
      eventId: message.eventId,
      conversionId: message.conversionId,
      fromStatus: from,
      toStatus: message.status,
      reason: transition.reason,
      changedAt,
    };
    outcome.applied.push({ record: state.record, change });
    outcome.entries.push(...statusChangeEntries(message.eventId, state.record, transition.move));
  }
  return outcome;
}
