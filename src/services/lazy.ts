/**
 * Handlers whose module is imported on their first call: for operations that pull in a heavy
 * dependency (a parser generator, a file-format library) that most requests to the service never
 * need, so that the service's first request — and gureum's cold start — does not pay for it.
 */
type AnyHandler = (...args: unknown[]) => unknown;

export function lazyHandlers<H extends object, K extends keyof H & string>(names: readonly K[], load: () => Promise<Pick<H, K>>): Pick<H, K> {
  let loaded: Promise<Pick<H, K>> | undefined;
  const out = {} as Record<K, AnyHandler>;
  for (const name of names) {
    out[name] = async (...args: unknown[]) => {
      const handlers = await (loaded ??= load());
      return (handlers[name] as AnyHandler)(...args);
    };
  }
  return out as unknown as Pick<H, K>;
}
