import { ConfigError, loadConfig, type Config } from './config.js';
import { createRuntime, type Runtime } from './runtime.js';
import { safeError } from './safe-error.js';

/**
 * What a process's entry point (`npm start`, `start:api`, `start:workers`) needs before its
 * logger runs: a wrong setting or a service it cannot use is said in one line and the process
 * exits 1, instead of Node printing a stack trace and the error's properties.
 */
export function configOrExit(opts: { separateProcesses?: boolean } = {}): Config {
  try {
    const config = loadConfig();
    // The embedded database is one process's: an API and a workers process would each open
    // their own, and agents' outcomes would never reach the workers that record them.
    if (opts.separateProcesses && !config.DATABASE_URL) {
      throw new ConfigError('DATABASE_URL is not set: the API and workers processes share one PostgreSQL (the embedded database is for `npm start` only)');
    }
    return config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}

export async function runtimeOrExit(config: Config): Promise<Runtime> {
  try {
    return await createRuntime(config);
  } catch (err) {
    console.error(`Cannot start: ${safeError(err).message}`);
    process.exit(1);
  }
}
