export * from './actions.ts';
export * from './currencies.ts';
export * from './devices.ts';
export * from './rating.ts';
export * from './settings.ts';
export * from './stubs.ts';
export * from './users.ts';
