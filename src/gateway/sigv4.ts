/** Reads (does not verify) the SigV4 credential scope from a header or a presigned query. */
import type { IncomingHttpHeaders } from 'node:http';
import type { SigV4Info } from './context.js';
import { AwsError } from '../core/errors.js';

const HEADER_RE = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]+)\s*$/i;

function parseCredential(cred: string): Pick<SigV4Info, 'accessKeyId' | 'date' | 'region' | 'service'> | undefined {
  // AKID/20240101/us-east-1/sqs/aws4_request
  const parts = cred.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !parts[0]) return undefined;
  return { accessKeyId: parts[0], date: parts[1]!, region: parts[2]!, service: parts[3]! };
}

/**
 * undefined: the request is not SigV4-signed (anonymous, SigV2, or another scheme).
 * Throws an AWS-shaped error for a SigV4 header or query that is malformed.
 */
export function readSigV4(headers: IncomingHttpHeaders, query: URLSearchParams): SigV4Info | undefined {
  const auth = headers.authorization;
  if (auth && auth.startsWith('AWS4-')) {
    const m = HEADER_RE.exec(auth);
    const cred = m && parseCredential(m[1]!);
    if (!m || !cred) {
      throw new AwsError('IncompleteSignature', `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${auth.split(' ')[0]}`, 400);
    }
    return { accessKeyId: cred.accessKeyId, date: cred.date, region: cred.region, service: cred.service, signedHeaders: m[2]!.split(';'), signature: m[3]!, presigned: false, amzDate: headerString(headers['x-amz-date']) };
  }
  const qcred = query.get('X-Amz-Credential');
  if (qcred && query.get('X-Amz-Algorithm')) {
    const cred = parseCredential(qcred);
    if (!cred || query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
      throw new AwsError('AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256" and X-Amz-Credential must have the form "<your-access-key-id>/<date>/<region>/<service>/aws4_request".', 400);
    }
    const expires = query.get('X-Amz-Expires');
    return {
      ...cred,
      signedHeaders: (query.get('X-Amz-SignedHeaders') ?? 'host').split(';'),
      signature: query.get('X-Amz-Signature') ?? '',
      presigned: true,
      amzDate: query.get('X-Amz-Date') ?? undefined,
      expires: expires !== null ? Number(expires) : undefined,
    };
  }
  return undefined;
}

/** Access key of a SigV2 header ("AWS AKID:signature"), used by old S3 clients. */
export function readSigV2AccessKey(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const auth = headers.authorization;
  if (auth?.startsWith('AWS ')) return auth.slice(4).split(':')[0];
  return query.get('AWSAccessKeyId') ?? undefined;
}

function headerString(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
