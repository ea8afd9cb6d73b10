/**
 * Mobile push: platform application and endpoint ARNs, attribute validation, and the
 * attributes GetPlatformApplicationAttributes shows (never the credentials themselves).
 */
import { X509Certificate } from 'node:crypto';
import { parseArn } from '../../../core/arn.js';
import { AwsError } from '../../../core/errors.js';
import type { PlatformAppRecord } from '../state.js';
import { invalidParameter, notFound } from './errors.js';

export const PLATFORMS = new Set(['ADM', 'APNS', 'APNS_SANDBOX', 'APNS_VOIP', 'APNS_VOIP_SANDBOX', 'BAIDU', 'GCM', 'MACOS', 'MACOS_SANDBOX', 'MPNS', 'WNS']);
const APP_ATTRIBUTES = new Set(['PlatformCredential', 'PlatformPrincipal', 'EventEndpointCreated', 'EventEndpointDeleted', 'EventEndpointUpdated',
  'EventDeliveryFailure', 'SuccessFeedbackRoleArn', 'FailureFeedbackRoleArn', 'SuccessFeedbackSampleRate', 'ApplePlatformTeamID', 'ApplePlatformBundleID']);
const SECRET = new Set(['PlatformCredential', 'PlatformPrincipal']);
const ENDPOINT_ATTRIBUTES = new Set(['CustomUserData', 'Enabled', 'Token']);
const APP_NAME = /^[A-Za-z0-9_.-]+$/;

export const appNotFound = () => notFound('PlatformApplication does not exist');
export const endpointNotFound = () => notFound('Endpoint does not exist');

export interface AppRef { account: string; region: string; platform: string; name: string }
export interface EndpointRef { account: string; region: string; arn: string }

/** `arn:aws:sns:<region>:<account>:app/<PLATFORM>/<name>` */
export function parseAppArn(arn: string | undefined): AppRef {
  const value = arn ?? '';
  const p = parseArn(value);
  if (!p) throw invalidParameter(`Invalid parameter: PlatformApplicationArn Reason: An ARN must have at least 6 elements, not ${value.split(':').length}`);
  const m = /^app\/([A-Z_]+)\/([A-Za-z0-9_.-]+)$/.exec(p.resource);
  if (p.service !== 'sns' || !m) throw invalidParameter('Invalid parameter: PlatformApplicationArn Reason: Wrong resource type, expected app/<platform>/<name>');
  return { account: p.account, region: p.region, platform: m[1]!, name: m[2]! };
}

/** `arn:aws:sns:<region>:<account>:endpoint/<PLATFORM>/<app name>/<id>` */
export function parseEndpointArn(arn: string | undefined, what = 'EndpointArn'): EndpointRef {
  const value = arn ?? '';
  const p = parseArn(value);
  if (!p) throw invalidParameter(`Invalid parameter: ${what} Reason: An ARN must have at least 6 elements, not ${value.split(':').length}`);
  if (p.service !== 'sns' || !/^endpoint\/[A-Z_]+\/[A-Za-z0-9_.-]+\/[0-9a-f-]+$/.test(p.resource)) throw invalidParameter(`Invalid parameter: ${what}`);
  return { account: p.account, region: p.region, arn: value };
}

export function validateAppName(name: string | undefined): void {
  if (!name) throw invalidParameter('Invalid parameter: Name Reason: cannot be empty');
  if (name.length > 256) throw invalidParameter('Invalid parameter: Name Reason: must be at most 256 characters long');
  if (!APP_NAME.test(name)) throw invalidParameter('Invalid parameter: Name Reason: must contain only characters \'a\'-\'z\', \'A\'-\'Z\', \'0\'-\'9\', \'_\', \'-\', and \'.\'');
}

const noAttributes = () => new AwsError('ValidationError', '1 validation error detected: Value null at \'attributes\' failed to satisfy constraint: Member must not be null', 400);

/** Platform application attributes (CreatePlatformApplication, SetPlatformApplicationAttributes). */
export function validateAppAttributes(attrs: Record<string, string> | undefined, platform: string, creating: boolean, current: Record<string, string> = {}): Record<string, string> {
  if (!attrs || !Object.keys(attrs).length) throw noAttributes();
  for (const [k, v] of Object.entries(attrs)) {
    if (!APP_ATTRIBUTES.has(k)) throw invalidParameter(`Invalid parameter: Attributes Reason: Invalid attribute name: ${k}`);
    if (k.startsWith('Event') && v && !/^arn:[^:]+:sns:[^:]+:\d{12}:[A-Za-z0-9_.-]+$/.test(v)) throw invalidParameter(`Invalid parameter: Attributes Reason: ${k}: Invalid SNS topic ARN: ${v}`);
    if (k === 'SuccessFeedbackSampleRate' && (!/^\d+$/.test(v) || Number(v) > 100)) throw invalidParameter('Invalid parameter: Attributes Reason: SuccessFeedbackSampleRate must be an integer between 0 and 100');
    if (k.endsWith('FeedbackRoleArn') && v && !parseArn(v)) throw invalidParameter(`Invalid parameter: Attributes Reason: ${k}: Invalid IAM role ARN`);
  }
  const merged = { ...current, ...attrs };
  const needsPrincipal = platform !== 'GCM';
  if (creating || 'PlatformCredential' in attrs || 'PlatformPrincipal' in attrs) {
    if (!merged.PlatformCredential) {
      throw invalidParameter(merged.PlatformPrincipal
        ? 'Invalid parameter: Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential'
        : 'Invalid parameter: Attributes Reason: PlatformCredential attribute is required');
    }
    if (needsPrincipal && !merged.PlatformPrincipal) throw invalidParameter('Invalid parameter: Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal');
  }
  return merged;
}

/** What GetPlatformApplicationAttributes / ListPlatformApplications show. */
export function shownAppAttributes(app: PlatformAppRecord): Record<string, string> {
  const out: Record<string, string> = { Enabled: 'true' };
  for (const [k, v] of Object.entries(app.attributes)) if (!SECRET.has(k)) out[k] = v;
  const a = app.attributes;
  if (app.platform.startsWith('APNS') || app.platform.startsWith('MACOS')) {
    out.AuthenticationMethod = a.ApplePlatformTeamID ? 'Token' : 'Certificate';
    const expiry = certificateExpiry(a.PlatformPrincipal);
    if (out.AuthenticationMethod === 'Certificate' && expiry) out.AppleCertificateExpiryDate = expiry;
  } else if (app.platform === 'GCM') {
    out.AuthenticationMethod = isServiceAccount(a.PlatformCredential) ? 'Token' : 'Key';
  }
  return out;
}

function certificateExpiry(pem: string | undefined): string | undefined {
  if (!pem?.includes('BEGIN CERTIFICATE')) return undefined;
  try {
    return new Date(new X509Certificate(pem).validTo).toISOString();
  } catch {
    return undefined;
  }
}

function isServiceAccount(credential: string | undefined): boolean {
  try {
    return (JSON.parse(credential ?? '') as { type?: unknown }).type === 'service_account';
  } catch {
    return false;
  }
}

/** Endpoint attributes (CreatePlatformEndpoint's Attributes, SetEndpointAttributes). */
export function validateEndpointAttributes(attrs: Record<string, string>): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (!ENDPOINT_ATTRIBUTES.has(k)) throw invalidParameter(`Invalid parameter: Attributes Reason: Invalid attribute name: ${k}`);
    if (k === 'Enabled' && v.toLowerCase() !== 'true' && v.toLowerCase() !== 'false') throw invalidParameter('Invalid parameter: Attributes Reason: Enabled must be true or false');
    if (k === 'Token' && !v) throw invalidParameter('Invalid parameter: Attributes Reason: Token must not be empty');
    if (k === 'CustomUserData' && Buffer.byteLength(v) > 2048) throw invalidParameter('Invalid parameter: Attributes Reason: Invalid value for attribute: CustomUserData: must be at most 2048 bytes long in UTF-8 encoding');
  }
}

export function requireAttributes(attrs: Record<string, string> | undefined): Record<string, string> {
  if (!attrs || !Object.keys(attrs).length) throw noAttributes();
  return attrs;
}
