import { clickFixture } from '../testing/fixtures';
import { clickRecordOf, packClick, unpackClick } from './click-record';
import { idTime } from '@tracklane/contracts';

describe('click records', () => {
  it('take the click time from the click id', () => {
    const click = clickFixture({ at: Date.parse('2025-03-01T10:00:00.123Z') });
    expect(clickRecordOf(click).clickedAt).toBe(idTime(click.clickId));
    expect(clickRecordOf(click).clickedAt).toBe(Date.parse('2025-03-01T10:00:00.123Z'));
  });

  it('survive the Redis form unchanged', () => {
    const record = clickRecordOf(clickFixture({ flags: ['bot', 'rate_limited'], unique: false, sub5: 'ü "quoted"', country: null }));
    expect(unpackClick(record.clickId, packClick(record))).toEqual(record);
  });
});
