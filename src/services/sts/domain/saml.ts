/**
 * SAML 2.0 responses for AssumeRoleWithSAML: the XML signature (enveloped, on the Response or
 * the Assertion) verified with xml-crypto against the provider's metadata certificates (never a
 * certificate the message carries), then only the signed XML is read: issuer, subject, audience,
 * validity window and AWS's attributes (Role, RoleSessionName, SessionDuration, SourceIdentity,
 * PrincipalTag:*, TransitiveTagKeys).
 */
import { createHash } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { XMLParser } from 'fast-xml-parser';

export interface SamlAssertion {
  issuer: string;
  subject: string;
  subjectType: string;
  audiences: string[];
  recipient?: string;
  notBefore?: number;
  notOnOrAfter?: number;
  /** attribute name → values */
  attributes: Record<string, string[]>;
}

export class SamlError extends Error {}

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false, isArray: (n) => ['Assertion', 'Attribute', 'AttributeValue', 'Audience', 'AudienceRestriction', 'SubjectConfirmation'].includes(n) });

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]) as Node[];
const text = (v: unknown): string => (typeof v === 'string' ? v : v && typeof v === 'object' && '#text' in v ? String((v as Node)['#text']) : '').trim();
const time = (v: unknown): number | undefined => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : undefined);

/** The signed XML of a SAML response, if one of `certificates` signed it; else SamlError. */
export function verifiedXml(xml: string, certificates: string[]): string {
  let doc: ReturnType<DOMParser['parseFromString']>;
  try {
    doc = new DOMParser({ errorHandler: { warning: () => undefined, error: () => undefined } }).parseFromString(xml, 'text/xml');
  } catch {
    throw new SamlError('parse');
  }
  const sigs = Array.from(doc.getElementsByTagNameNS(DSIG, 'Signature'));
  if (!sigs.length) throw new SamlError('unsigned');
  for (const sig of sigs) {
    for (const cert of certificates) {
      const v = new SignedXml({ publicCert: cert, getCertFromKeyInfo: () => null });
      try {
        v.loadSignature(sig as never);
        if (v.checkSignature(xml)) {
          const signed = v.getSignedReferences();
          if (signed.length) return signed[0]!;
        }
      } catch {
        /* try the next certificate */
      }
    }
  }
  throw new SamlError('signature');
}

/** Reads the (signed) Response or Assertion. */
export function readAssertion(signedXml: string): SamlAssertion {
  const doc = parser.parse(signedXml) as Node;
  const response = doc.Response as Node | undefined;
  const assertion = list(response ? response.Assertion : doc.Assertion)[0];
  if (!assertion) throw new SamlError('assertion');
  const subject = (assertion.Subject ?? {}) as Node;
  const nameId = subject.NameID;
  const confirmation = list(subject.SubjectConfirmation)[0]?.SubjectConfirmationData as Node | undefined;
  const conditions = (assertion.Conditions ?? {}) as Node;
  const audiences = list(conditions.AudienceRestriction).flatMap((r) => list(r.Audience).map(text));
  const attributes: Record<string, string[]> = {};
  for (const st of list(assertion.AttributeStatement)) {
    for (const a of list(st.Attribute)) {
      const name = String(a['@_Name'] ?? '');
      attributes[name] = [...(attributes[name] ?? []), ...list(a.AttributeValue).map(text)];
    }
  }
  const bounds = [time(conditions['@_NotOnOrAfter']), time(confirmation?.['@_NotOnOrAfter'])].filter((x): x is number => x !== undefined);
  const format = typeof nameId === 'object' && nameId ? String((nameId as Node)['@_Format'] ?? '') : '';
  return {
    issuer: text(assertion.Issuer),
    subject: text(nameId),
    subjectType: format.replace(/^urn:oasis:names:tc:SAML:\d\.\d:nameid-format:/, '') || 'unspecified',
    audiences,
    recipient: typeof confirmation?.['@_Recipient'] === 'string' ? (confirmation['@_Recipient'] as string) : undefined,
    notBefore: time(conditions['@_NotBefore']),
    notOnOrAfter: bounds.length ? Math.min(...bounds) : undefined,
    attributes,
  };
}

/** AWS's NameQualifier: base64(SHA-1(issuer + account id + "/" + provider name)). */
export const nameQualifier = (issuer: string, account: string, providerName: string): string =>
  createHash('sha1').update(issuer + account + '/' + providerName).digest('base64');
