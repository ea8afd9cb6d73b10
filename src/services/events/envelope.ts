/** The event as EventBridge delivers it. */

/** An event as AWS delivers it (key order is AWS's). */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  /** set on events re-delivered by a replay */
  'replay-name'?: string;
  [k: string]: unknown;
}

/** AWS's event time: seconds precision, `Z`. */
export const eventTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
