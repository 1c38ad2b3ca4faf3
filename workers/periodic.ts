/**
 * Runs `task` every `interval` ms — the next run `interval` after the last one ended, so runs
 * never overlap — from now (`immediately`) or after one interval, until closed. A failed run is
 * handed to `onError` and the next comes all the same. The timer does not keep the process up;
 * `close` waits for a run under way.
 */
export function every(interval: number, task: () => Promise<void>, onError: (err: Error) => void, opts: { immediately?: boolean } = {}): { close: () => Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let running: Promise<void> = Promise.resolve();
  const schedule = () => {
    timer = setTimeout(run, interval);
    timer.unref();
  };
  const run = () => {
    running = task()
      .catch(onError)
      .finally(() => {
        if (!closed) schedule();
      });
  };
  if (opts.immediately) run();
  else schedule();
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
