export * from './schema.js';
export * from './schema-cases.js';
export * from './schema-jobs.js';
export * from './schema-conversations.js';
export * from './schema-streets.js';
export * from './schema-web.js';
export * from './schema-open311.js';
export * from './schema-privacy.js';
