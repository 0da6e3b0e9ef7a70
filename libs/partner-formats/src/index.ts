export * from './currency-exponents';
export * from './mapping-document';
export * from './presets/catalogue';
export * from './resolve-mapping';
