/** Queue names and URLs: http://<host the client used>/<account>/<name>. */
import { AwsError } from '../../../core/errors.js';
import { isKnownRegion } from '../../../core/regions.js';

const NAME = /^[A-Za-z0-9_-]{1,80}$/;

export function validateQueueName(name: string, fifo: boolean): void {
  if (fifo) {
    // The ".fifo" suffix counts towards the 80 characters.
    if (!name.endsWith('.fifo') || !NAME.test(name.slice(0, -5) + '_____')) {
      throw new AwsError('InvalidParameterValue', 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.', 400);
    }
    return;
  }
  if (!NAME.test(name)) throw new AwsError('InvalidParameterValue', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length', 400);
}

export function queueUrl(baseUrl: string, account: string, name: string): string {
  return `${baseUrl}/${account}/${name}`;
}

export interface QueueRef { account: string; name: string; region?: string }

/**
 * Account and name from a queue URL. Any host is accepted (the client may have used
 * localhost, 127.0.0.1 or sqs.<region>.localhost.localstack.cloud); a region in an
 * sqs.<region>.… host wins over the request's signing region, as on AWS.
 */
export function parseQueueUrl(url: string): QueueRef {
  // Clients name the same few queues over and over: remember what each URL said.
  const known = parsed.get(url);
  if (known) return known;
  const ref = parse(url);
  if (parsed.size >= 1000) parsed.clear();
  parsed.set(url, ref);
  return ref;
}

const parsed = new Map<string, Readonly<QueueRef>>();

function parse(url: string): QueueRef {
  const m = /^(?:https?:\/\/([^/]+))?\/(\d{12})\/([A-Za-z0-9_.-]{1,80})\/?$/.exec(url);
  if (!m) throw new AwsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`, 404);
  const host = (m[1] ?? '').toLowerCase();
  const r = /(?:^|\.)sqs\.([a-z0-9-]+)\./.exec(host) ?? /^([a-z0-9-]+)\.queue\./.exec(host);
  return { account: m[2]!, name: m[3]!, region: r && isKnownRegion(r[1]!) ? r[1] : undefined };
}

export const queueDoesNotExist = () => new AwsError('QueueDoesNotExist', 'The specified queue does not exist.', 400);
