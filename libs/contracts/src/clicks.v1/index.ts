export * from './click';
