import { configOrExit, runtimeOrExit } from '../src/entry.js';
import { exitOnUncaught, onShutdown } from '../src/shutdown.js';
import { runStartup } from '../src/startup.js';
import { startWorkers } from './start.js';

const rt = await runtimeOrExit(configOrExit({ separateProcesses: true }));
exitOnUncaught(rt.log);
await runStartup(rt);
const workers = await startWorkers(rt);
onShutdown(rt.log, [['workers', workers.close], ['runtime', rt.close]]);
