export * from './api.ts';
export * from './campaigns.ts';
export * from './case-stats.ts';
export * from './cases.ts';
export * from './matters.ts';
export * from './notices.ts';
export * from './org.ts';
export * from './roles.ts';
