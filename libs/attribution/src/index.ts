export * from './attribution.module';
export * from './attribution.options';
export * from './rules/reasons';
export { cachedClickKey } from './clicks/click-cache';
