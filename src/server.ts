import { configOrExit, runtimeOrExit } from './entry.js';
import { serveApi } from './http/serve.js';
import { exitOnUncaught, onShutdown } from './shutdown.js';
import { runStartup } from './startup.js';

const rt = await runtimeOrExit(configOrExit({ separateProcesses: true }));
exitOnUncaught(rt.log);
await runStartup(rt);
const api = await serveApi(rt);
rt.log.info({ url: api.url }, 'API listening');
onShutdown(rt.log, [['http', api.close], ['runtime', rt.close]]);
