export * from './schema.js';
export * from './schema-cases.js';
