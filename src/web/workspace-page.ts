import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

const STATIC = new URL('./static/', import.meta.url);
const FILES: Record<string, { file: string; type: string }> = {
  '/workspace': { file: 'workspace.html', type: 'text/html; charset=utf-8' },
  '/workspace.js': { file: 'workspace.js', type: 'text/javascript; charset=utf-8' },
  '/workspace.css': { file: 'workspace.css', type: 'text/css; charset=utf-8' },
};

/** The workspace page and its assets, read once (a fixed list: no path reaches the file system). */
export async function workspacePage(app: FastifyInstance): Promise<void> {
  for (const [path, { file, type }] of Object.entries(FILES)) {
    const body = await readFile(new URL(file, STATIC), 'utf8');
    app.get(path, async (_request, reply) => reply
      .header('cache-control', 'no-cache')
      .header('content-security-policy', "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'")
      .type(type)
      .send(body));
  }
}
