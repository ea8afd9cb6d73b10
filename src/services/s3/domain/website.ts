/**
 * Static website hosting rules: PutBucketWebsite's validation (S3's messages), website
 * endpoint hosts, routing-rule matching and the redirects they make, and the HTML pages the
 * website endpoint answers errors with.
 */
import { AwsError } from '../../../core/errors.js';
import type { Redirect, RoutingRule, WebsiteConfiguration } from '../generated/types.js';

const malformedXml = () => new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
const invalidArgument = (message: string, name: string, value: string) =>
  new AwsError('InvalidArgument', message, 400, { fields: { ArgumentName: name, ArgumentValue: value } });
const invalidRequest = (message: string) => new AwsError('InvalidRequest', message, 400);
const badProtocol = () => invalidRequest('Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.');
const MAX_ROUTING_RULES = 50;

function checkRedirect(r: Redirect | undefined): void {
  if (!r) throw malformedXml();
  if (r.Protocol !== undefined && r.Protocol !== 'http' && r.Protocol !== 'https') throw badProtocol();
  if (r.ReplaceKeyPrefixWith !== undefined && r.ReplaceKeyWith !== undefined) throw invalidRequest('You can only define ReplaceKeyPrefix or ReplaceKey but not both.');
  if (r.HttpRedirectCode !== undefined && (!/^3\d\d$/.test(r.HttpRedirectCode) || r.HttpRedirectCode === '300')) {
    throw invalidRequest(`The provided HTTP redirect code (${r.HttpRedirectCode}) is not valid. Valid codes are 3XX except 300.`);
  }
}

/** PutBucketWebsite's validation; returns the configuration to store. */
export function checkWebsite(c: WebsiteConfiguration | undefined): WebsiteConfiguration {
  if (!c) throw malformedXml();
  if (c.RedirectAllRequestsTo) {
    if (c.IndexDocument || c.ErrorDocument || c.RoutingRules) {
      throw invalidArgument('RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.', 'RedirectAllRequestsTo', 'not null');
    }
    if (!c.RedirectAllRequestsTo.HostName) throw malformedXml();
    const p = c.RedirectAllRequestsTo.Protocol;
    if (p !== undefined && p !== 'http' && p !== 'https') throw badProtocol();
    return { RedirectAllRequestsTo: { ...c.RedirectAllRequestsTo } };
  }
  if (!c.IndexDocument) throw invalidArgument('A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', 'IndexDocument', 'null');
  const suffix = c.IndexDocument.Suffix;
  if (!suffix || suffix.includes('/')) throw invalidArgument('The IndexDocument Suffix is not well formed', 'IndexDocument', suffix ?? '');
  if (c.ErrorDocument && !c.ErrorDocument.Key) throw malformedXml();
  if (c.RoutingRules) {
    if (!c.RoutingRules.length) throw malformedXml();
    if (c.RoutingRules.length > MAX_ROUTING_RULES) throw invalidRequest(`The number of routing rules must not exceed the allowed limit of ${MAX_ROUTING_RULES} rules.`);
    for (const rule of c.RoutingRules) {
      if (rule.Condition && rule.Condition.KeyPrefixEquals === undefined && rule.Condition.HttpErrorCodeReturnedEquals === undefined) {
        throw invalidRequest("Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present.");
      }
      const code = rule.Condition?.HttpErrorCodeReturnedEquals;
      if (code !== undefined && !/^[45]\d\d$/.test(code)) throw invalidRequest(`The provided HTTP error code (${code}) is not valid. Valid codes are 4XX or 5XX.`);
      checkRedirect(rule.Redirect);
    }
  }
  return {
    IndexDocument: { Suffix: suffix },
    ...(c.ErrorDocument ? { ErrorDocument: { Key: c.ErrorDocument.Key } } : {}),
    ...(c.RoutingRules ? { RoutingRules: c.RoutingRules } : {}),
  };
}

/**
 * The bucket a website endpoint host names: AWS's `<bucket>.s3-website-<region>.amazonaws.com`
 * and `<bucket>.s3-website.<region>.amazonaws.com`, with any domain in place of amazonaws.com
 * (`<bucket>.s3-website.localhost:4566`, `<bucket>.s3-website.us-east-1.localhost.localstack.cloud:4566`).
 */
export function websiteBucket(host: string): string | undefined {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return /^(.+?)\.s3-website(?:[.-][a-z0-9-]+)?\.[^.]/.exec(name)?.[1] ?? /^(.+?)\.s3-website$/.exec(name)?.[1];
}

/** The first routing rule for a key (and, after an error, the HTTP status it answered). */
export function matchRoutingRule(rules: RoutingRule[] | undefined, key: string, errorCode?: number): RoutingRule | undefined {
  return rules?.find((r) => {
    const c = r.Condition;
    if (!c) return errorCode === undefined;
    if (c.KeyPrefixEquals !== undefined && !key.startsWith(c.KeyPrefixEquals)) return false;
    if (c.HttpErrorCodeReturnedEquals !== undefined) return errorCode !== undefined && String(errorCode) === c.HttpErrorCodeReturnedEquals;
    return errorCode === undefined;
  });
}

const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

/** Where a routing rule sends a key: status and Location. */
export function ruleRedirect(rule: RoutingRule, key: string, requestHost: string): { status: number; location: string } {
  const r = rule.Redirect;
  let target = key;
  if (r.ReplaceKeyWith !== undefined) target = r.ReplaceKeyWith;
  else if (r.ReplaceKeyPrefixWith !== undefined) target = r.ReplaceKeyPrefixWith + key.slice((rule.Condition?.KeyPrefixEquals ?? '').length);
  const host = r.HostName ?? requestHost;
  return { status: Number(r.HttpRedirectCode ?? '301'), location: `${r.Protocol ?? 'http'}://${host}/${encodeKey(target)}` };
}

const TITLES: Record<number, string> = { 301: 'Moved Permanently', 302: 'Found', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' };
const escapeHtml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

export interface WebsiteError { status: number; code: string; message: string; fields?: Record<string, string> }

/** The website endpoint's HTML error page; `docError`: why the custom error document could not be used. */
export function errorPage(e: WebsiteError, requestId: string, hostId: string, docError?: WebsiteError): string {
  const title = `${e.status} ${TITLES[e.status] ?? 'Error'}`;
  const items = (x: WebsiteError, ids: boolean) => [
    `<li>Code: ${escapeHtml(x.code)}</li>`,
    `<li>Message: ${escapeHtml(x.message)}</li>`,
    ...Object.entries(x.fields ?? {}).map(([k, v]) => `<li>${escapeHtml(k)}: ${escapeHtml(v)}</li>`),
    ...(ids ? [`<li>RequestId: ${escapeHtml(requestId)}</li>`, `<li>HostId: ${escapeHtml(hostId)}</li>`] : []),
  ].join('\n');
  const custom = docError ? `<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n${items(docError, false)}\n</ul>\n` : '';
  return `<html>\n<head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<ul>\n${items(e, true)}\n</ul>\n${custom}<hr/>\n</body>\n</html>\n`;
}
