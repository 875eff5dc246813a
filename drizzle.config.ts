import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/db/schema.ts', './src/db/schema-cases.ts', './src/db/schema-jobs.ts', './src/db/schema-conversations.ts', './src/db/schema-streets.ts', './src/db/schema-web.ts', './src/db/schema-open311.ts', './src/db/schema-privacy.ts', './src/db/schema-dashboards.ts', './src/db/schema-intake.ts'],
  out: './drizzle',
});
