// Builds GraphiQL into ../../internal/web/playground: a production bundle
// (minified, no source maps), Monaco's workers beside it, and SHA256SUMS,
// which internal/web's tests check against the files.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

// OUT_DIR moves the output (build.sh --check builds into a temporary one).
const out = process.env.OUT_DIR || new URL('../../internal/web/playground/', import.meta.url).pathname;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
  outdir: out,
};

await build({
  ...common,
  entryPoints: { graphiql: 'main.jsx' },
  jsx: 'automatic',
  loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'dataurl' },
  assetNames: '[name]',
});
await build({
  ...common,
  entryPoints: {
    'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
    'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
    'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
  },
});

writeFileSync(join(out, 'index.html'), readFileSync(new URL('index.html', import.meta.url)));

const files = readdirSync(out).filter((f) => f !== 'SHA256SUMS').sort();
const sums = files.map((f) => createHash('sha256').update(readFileSync(join(out, f))).digest('hex') + '  ' + f);
writeFileSync(join(out, 'SHA256SUMS'), sums.join('\n') + '\n');
for (const f of files) console.log(String(readFileSync(join(out, f)).length).padStart(9), f);
