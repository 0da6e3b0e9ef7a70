import { ParameterError } from './parameter-error';
import { parseTimeInput } from './time-input';

describe('parseTimeInput', () => {
  it.each([
    ['2025-03-01', 'date'],
    ['2025-03-01T10:00', 'local'],
    ['2025-03-01T10:00:30.123', 'local'],
    ['2025-03-01T10:00:00Z', 'instant'],
    ['2025-03-01T10:00:00+05:30', 'instant'],
  ])('reads %s as a %s', (value, kind) => {
    expect(parseTimeInput('from', value)).toEqual({ text: value, kind });
  });

  it.each(['2025-02-29', '2025-13-01', '2025-03-01T24:00', '2025-03-01 10:00', '1741000000', 'today', '2025-03-01T10:00:00+15:00', '1999-12-31'])(
    'refuses %s, naming the parameter',
    (value) => {
      expect(() => parseTimeInput('to', value)).toThrow(ParameterError);
      expect(() => parseTimeInput('to', value)).toThrow(/^to: /);
    },
  );
});
