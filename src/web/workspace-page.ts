import { readFile } from 'node:fs/promises';
import { sendText, type Router } from './http-router.js';

const STATIC = new URL('./static/', import.meta.url);
const FILES: Record<string, { file: string; type: string }> = {
  '/workspace': { file: 'workspace.html', type: 'text/html; charset=utf-8' },
  '/workspace.js': { file: 'workspace.js', type: 'text/javascript; charset=utf-8' },
  '/workspace.css': { file: 'workspace.css', type: 'text/css; charset=utf-8' },
};

/** The workspace page and its assets, read once. */
export async function addWorkspacePage(router: Router): Promise<void> {
  for (const [path, { file, type }] of Object.entries(FILES)) {
    const body = await readFile(new URL(file, STATIC), 'utf8');
    router.add('GET', path, (_req, res) => {
      res.setHeader('cache-control', 'no-cache');
      res.setHeader('content-security-policy', "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'");
      sendText(res, 200, body, type);
    });
  }
}
