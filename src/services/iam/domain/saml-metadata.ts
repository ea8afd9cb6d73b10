/**
 * SAML 2.0 IdP metadata as CreateSAMLProvider accepts it: an EntityDescriptor with an
 * IDPSSODescriptor whose KeyDescriptor(s) carry the X.509 signing certificate(s). STS verifies
 * assertions against these certificates.
 */
import { X509Certificate } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { invalidInput } from './common.js';

export interface SamlMetadata {
  entityId: string;
  /** PEM certificates usable for signing (use="signing" or no use) */
  certificates: string[];
  /** epoch ms, when the metadata says so */
  validUntil?: number;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false, isArray: (name) => ['KeyDescriptor', 'X509Certificate', 'EntityDescriptor', 'IDPSSODescriptor'].includes(name) });

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]) as Node[];
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' && v && '#text' in v ? String((v as Node)['#text']) : '');

export const toPem = (b64: string): string => `-----BEGIN CERTIFICATE-----\n${b64.replace(/\s+/g, '').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;

/** Parses metadata; InvalidInput "Could not parse metadata" when it is not usable IdP metadata. */
export function parseSamlMetadata(xml: string): SamlMetadata {
  const fail = () => invalidInput('Could not parse metadata');
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch {
    throw fail();
  }
  const entities = list(doc.EntityDescriptor).concat(list((doc.EntitiesDescriptor as Node | undefined)?.EntityDescriptor));
  const entity = entities.find((e) => list(e.IDPSSODescriptor).length);
  if (!entity) throw fail();
  const certificates: string[] = [];
  for (const idp of list(entity.IDPSSODescriptor)) {
    for (const kd of list(idp.KeyDescriptor)) {
      const use = kd['@_use'];
      if (use !== undefined && use !== 'signing') continue;
      const data = (kd.KeyInfo as Node | undefined)?.X509Data as Node | undefined;
      for (const c of list(data?.X509Certificate)) {
        const b64 = text(c).replace(/\s+/g, '');
        if (!b64) continue;
        try {
          new X509Certificate(Buffer.from(b64, 'base64'));
        } catch {
          throw fail();
        }
        certificates.push(toPem(b64));
      }
    }
  }
  if (!certificates.length) throw fail();
  const until = entity['@_validUntil'] ?? doc['@_validUntil'];
  const validUntil = typeof until === 'string' && !Number.isNaN(Date.parse(until)) ? Date.parse(until) : undefined;
  return { entityId: String(entity['@_entityID'] ?? ''), certificates, validUntil };
}
