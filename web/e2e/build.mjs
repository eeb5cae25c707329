// Builds the browser tests' libraries into ../../internal/e2e/testdata/libs:
// one minified ES module (d3, d3-org-chart, Cytoscape.js) that the test
// pages import, and SHA256SUMS. The pages themselves are written by hand
// in internal/e2e/testdata; the binary embeds none of this.
import { build } from 'esbuild';
import { outDir, production, writeSums } from '../page.mjs';

const out = outDir(new URL('../../internal/e2e/testdata/libs/', import.meta.url));
await build({ ...production, entryPoints: { libs: 'libs.mjs' }, outdir: out });
writeSums(out);
