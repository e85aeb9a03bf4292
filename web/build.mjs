// Bundles the client into src/AscCollab.Server/wwwroot/dist (git-ignored; the server's
// MSBuild target runs `npm ci` and this script when the sources are newer than the bundle).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(here, '../src/AscCollab.Server/wwwroot/dist');

await build({
  entryPoints: { app: path.join(here, 'src/main.js') },
  outdir,
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
console.log(`web: bundled into ${path.relative(process.cwd(), outdir) || outdir}`);
