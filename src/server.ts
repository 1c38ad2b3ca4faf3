import { loadConfig } from './config.js';
import { serveApi } from './http/serve.js';
import { createRuntime } from './runtime.js';
import { exitOnUncaught, onShutdown } from './shutdown.js';
import { runStartup } from './startup.js';

const rt = await createRuntime(loadConfig());
exitOnUncaught(rt.log);
await runStartup(rt);
const api = await serveApi(rt);
rt.log.info({ url: api.url }, 'API listening');
onShutdown(rt.log, [['http', api.close], ['runtime', rt.close]]);
