export * from './api.ts';
export * from './org.ts';
export * from './roles.ts';
