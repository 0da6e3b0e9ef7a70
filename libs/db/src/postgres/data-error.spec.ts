import { isDataError, isMissingPartition, sqlStateOf } from './data-error';
import { beginStatement } from './transaction';

const pgError = (code: string) => Object.assign(new Error(code), { code });

describe('isDataError', () => {
  it.each([
    ['22021', 'invalid byte sequence (a NUL byte in text)'],
    ['22P02', 'invalid text representation'],
    ['22003', 'numeric value out of range'],
    ['23502', 'not-null violation'],
    ['23514', 'check violation (an unknown status)'],
  ])('calls %s (%s) a data error: the message goes to the dead-letter topic', (code) => {
    expect(isDataError(pgError(code))).toBe(true);
  });

  it.each([
    ['23505', 'unique violation: a concurrent writer got there first'],
    ['23503', 'foreign-key violation: a row it needs is not there yet'],
    ['23P01', 'exclusion violation'],
    ['40001', 'serialization failure'],
    ['40P01', 'deadlock'],
    ['57014', 'statement cancelled'],
    ['08006', 'connection failure'],
    ['P2002', "Prisma's unique violation"],
  ])('calls %s (%s) transient: the batch is retried', (code) => {
    expect(isDataError(pgError(code))).toBe(false);
  });

  it('calls a row with no partition for it transient: the writer creates the partition and retries', () => {
    const missing = Object.assign(new Error('no partition of relation "rep_clicks" found for row'), { code: '23514' });
    expect(isMissingPartition(missing)).toBe(true);
    expect(isDataError(missing)).toBe(false);
    expect(isMissingPartition(pgError('23514'))).toBe(false);
  });

  it("reads Postgres' SQLSTATE from Prisma's errors, not Prisma's own code", () => {
    const prismaError = (sqlState: string, message: string) =>
      Object.assign(new Error(`Raw query failed. Code: \`${sqlState}\`. Message: \`${message}\``), {
        code: 'P2010',
        meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode: sqlState, originalMessage: message } } },
      });
    expect(sqlStateOf(prismaError('23505', 'duplicate key'))).toBe('23505');
    expect(isDataError(prismaError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'))).toBe(true);
    expect(isDataError(prismaError('40P01', 'deadlock detected'))).toBe(false);
    const missing = prismaError('23514', 'no partition of relation "clicks" found for row');
    expect(isMissingPartition(missing)).toBe(true);
    expect(isDataError(missing)).toBe(false);
    expect(sqlStateOf(Object.assign(new Error('Transaction already closed'), { code: 'P2028' }))).toBe('P2028');
  });

  it('calls errors without a SQLSTATE transient', () => {
    expect(isDataError(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isDataError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isDataError(null)).toBe(false);
  });
});

describe('beginStatement', () => {
  it('says what the transaction may do', () => {
    expect(beginStatement()).toBe('BEGIN');
    expect(beginStatement({ readOnly: true })).toBe('BEGIN READ ONLY');
    expect(beginStatement({ readOnly: true, isolation: 'repeatable read' })).toBe('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  });
});
