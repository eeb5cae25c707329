// orgraph's playground: GraphiQL with its explorer and history plugins,
// bundled so that the page loads nothing from outside the server.
import { createRoot } from 'react-dom/client';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
// graphiql/style.css would add Monaco's CSS (bundled from Monaco's own imports anyway)
// and 550 KB of webfonts; the page uses the system's fonts instead.
import '@graphiql/react/style.css';
import 'graphiql/graphiql.css';
import '@graphiql/plugin-explorer/style.css';

// Monaco's workers are bundled beside this file (build.mjs).
const base = new URL('.', import.meta.url);
globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    const name = label === 'json' ? 'json.worker.js' : label === 'graphql' ? 'graphql.worker.js' : 'editor.worker.js';
    return new Worker(new URL(name, base), { type: 'module' });
  },
};

const el = document.getElementById('graphiql');
const fetcher = createGraphiQLFetcher({ url: el.dataset.endpoint || '/query' });
const plugins = [HISTORY_PLUGIN, explorerPlugin()];

const defaultQuery = `# orgraph: Kraków City Hall's department KS (ordinance 3468/2024).
# The chain of command from KS-07 up, each step with its provision:
{
  chainOfCommand(from: "KS-07") {
    links { from { name } to { name } source { provision basis reason } }
  }
}
`;

createRoot(el).render(
  <GraphiQL fetcher={fetcher} plugins={plugins} defaultQuery={defaultQuery} />,
);
