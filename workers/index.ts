import { loadConfig } from '../src/config.js';
import { createRuntime } from '../src/runtime.js';
import { exitOnUncaught, onShutdown } from '../src/shutdown.js';
import { runStartup } from '../src/startup.js';
import { startWorkers } from './start.js';

const rt = await createRuntime(loadConfig());
exitOnUncaught(rt.log);
await runStartup(rt);
const workers = await startWorkers(rt);
onShutdown(rt.log, [['workers', workers.close], ['runtime', rt.close]]);
