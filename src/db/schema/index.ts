export * from './tenancy.ts';
export * from './routing.ts';
export * from './publish.ts';
export * from './calls.ts';
