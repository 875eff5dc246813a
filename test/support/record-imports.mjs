// `node --import ./test/support/record-imports.mjs …`: appends the URL of every module the
// process imports to the file named by WARDLINE_IMPORTS_LOG (see lazy-imports.e2e.test.ts).
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url);
