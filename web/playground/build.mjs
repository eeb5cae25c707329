// Builds GraphiQL into ../../internal/web/playground: a production bundle
// (minified, no source maps), Monaco's workers beside it, and SHA256SUMS,
// which internal/web's tests check against the files.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outDir, production, writeSums } from '../page.mjs';

const out = outDir(new URL('../../internal/web/playground/', import.meta.url));
const common = { ...production, outdir: out };

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

writeSums(out);
