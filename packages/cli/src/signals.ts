/**
 * Resolve with the first SIGINT or SIGTERM, for long-running commands (`devchain`, `registrar serve`)
 * that must stop cleanly, then exit 0.
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      done(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
