import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../http/context.js';
import { STRICT_CSP } from '../http/csp.js';
import { fromRoot } from '../paths.js';

export const DOCS_PATH = '/api/docs';

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
/** The only files served under DOCS_PATH (the package also holds a demo page and source maps). */
const ASSETS: Record<string, { file: string; type: string; own?: true }> = {
  'swagger-ui.css': { file: 'swagger-ui.css', type: CSS },
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: JS },
  'init.js': { file: 'swagger-init.js', type: JS, own: true },
};
const OWN_DIR = fromRoot('src', 'docs');

/**
 * `GET /api/docs`: Swagger UI on `/api/openapi.json`, its files served from the installed
 * swagger-ui-dist under our own origin (nothing from a CDN; works offline), under the UI's
 * strict CSP (src/http/csp.ts) plus what Swagger UI needs:
 * - `img-src data:`: its stylesheet draws icons as `data:` SVG images;
 * - no `'unsafe-inline'`, not even for styles: React sets its inline styles through the DOM,
 *   which CSP does not block. `test/ui-api-docs.test.ts` fails on any violation of the page.
 */
export function docsRoutes() {
  const app = new Hono<AppEnv>();
  const files = new Map<string, Promise<Buffer>>();
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: { ...STRICT_CSP, imgSrc: ["'self'", 'data:'] },
      xFrameOptions: 'DENY',
      referrerPolicy: 'same-origin',
      strictTransportSecurity: false, // decided per request (src/http/https.ts)
    }),
  );
  app.get('/', async (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(page((await swaggerUiDist()).version));
  });
  app.get('/:file', async (c) => {
    const name = c.req.param('file');
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) return c.notFound();
    let body = files.get(name);
    if (!body) {
      const dir = asset.own ? OWN_DIR : (await swaggerUiDist()).dir;
      files.set(name, (body = readFile(join(dir, asset.file))));
    }
    // The package's files are addressed with its version (?v=), so browsers may keep them.
    c.header('Cache-Control', asset.own ? 'no-cache' : 'public, max-age=31536000, immutable');
    c.header('Content-Type', asset.type);
    return c.body(new Uint8Array(await body));
  });
  return app;
}

let dist: Promise<{ dir: string; version: string }> | undefined;

/** Where swagger-ui-dist is installed, and its version; looked up at first use, so a broken install breaks the docs only. */
function swaggerUiDist() {
  dist ??= (async () => {
    const pkgFile = createRequire(import.meta.url).resolve('swagger-ui-dist/package.json');
    const { version } = JSON.parse(await readFile(pkgFile, 'utf8')) as { version: string };
    return { dir: dirname(pkgFile), version };
  })();
  return dist;
}

const page = (version: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mahnanrufe API</title>
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css?v=${version}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js?v=${version}"></script>
<script src="${DOCS_PATH}/init.js"></script>
</body>
</html>
`;
