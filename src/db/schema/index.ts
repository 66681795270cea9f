export * from './tenancy.ts';
export * from './routing.ts';
export * from './publish.ts';
export * from './calls.ts';
export * from './call-apis.ts';
export * from './bot.ts';
export * from './voicemail.ts';
export * from './contacts.ts';
