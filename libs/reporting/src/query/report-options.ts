import { RangeLimits } from './range-resolution';
import { ReportLimits } from './report-transaction';

export const REPORT_OPTIONS = Symbol('REPORT_OPTIONS');

export interface ReportOptions extends ReportLimits, RangeLimits {
  /** Rows per JSON page when no limit is given, and the most a JSON page may hold. CSV streams everything. */
  defaultPageRows: number;
  maxPageRows: number;
}
