export * from './address-policy';
export * from './allowed-targets.env';
export * from './host';
export * from './ip-address';
export * from './special-ranges';
