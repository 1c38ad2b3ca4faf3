/**
 * `npm start`: everything in one process on embedded defaults, for a first run.
 * Production runs `start:api` and `start:workers` separately (README, "Running").
 */
import type { ChildProcess } from 'node:child_process';
import { configOrExit, runtimeOrExit } from './entry.js';
import { portAnswers, redisServerOnPath, startEmbeddedRedis } from './embedded-redis.js';
import { serveApi } from './http/serve.js';
import { exitOnUncaught, onShutdown } from './shutdown.js';
import { runStartup } from './startup.js';
import { startWorkers } from '../workers/start.js';

const config = configOrExit();

let redisChild: ChildProcess | undefined;
if (!config.REDIS_URL && !config.redis.sentinels && !config.redis.clusterNodes && !(await portAnswers('127.0.0.1', 6379))) {
  // Say which condition failed: with EMBEDDED_REDIS=false a redis-server on the PATH is not even looked for.
  if (!config.EMBEDDED_REDIS) {
    console.error(
      'No Redis answers on 127.0.0.1:6379, and EMBEDDED_REDIS=false forbids starting one.\n' +
        'Start a Redis there, point REDIS_URL at a running Redis, or unset EMBEDDED_REDIS.',
    );
    process.exit(1);
  }
  if (!redisServerOnPath()) {
    console.error(
      'No Redis answers on 127.0.0.1:6379 and no redis-server is on the PATH to start one.\n' +
        'Install one (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)\n' +
        'or point REDIS_URL at a running Redis.',
    );
    process.exit(1);
  }
  redisChild = await startEmbeddedRedis(config.DATA_DIR);
  console.log(`Started redis-server (data in ${config.DATA_DIR}/redis)`);
}

const rt = await runtimeOrExit(config);
exitOnUncaught(rt.log);
const { adminCreated } = await runStartup(rt);
const workers = await startWorkers(rt);
const api = await serveApi(rt);

const db = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.DATA_DIR}/pglite`;
const mail = config.SMTP_URL ? 'SMTP (SMTP_URL)' : `.eml files in ${config.DATA_DIR}/outbox`;
// A generated password is in a file only its owner can read, not on the console: the same
// start-up runs in production, where the console is a log stream.
const login = adminCreated
  ? `user "${adminCreated.username}", password ${adminCreated.passwordFile ? `in ${adminCreated.passwordFile} (generated, readable by you only)` : 'from ADMIN_PASSWORD'}`
  : `your existing admin account ("${config.ADMIN_USERNAME}")`;
console.log(`
Mahnanrufe is running: ${api.url}
  Log in with ${login}
  API docs: ${api.url}/api/docs
  Database: ${db}
  Mail:     ${mail}
Stop with Ctrl+C.
`);

onShutdown(rt.log, [
  ['http', api.close],
  ['workers', workers.close],
  ['runtime', rt.close],
  ['redis-server', async () => void redisChild?.kill('SIGTERM')],
]);
