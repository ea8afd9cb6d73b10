/**
 * SAML test fixtures: IdP metadata for a certificate, and SAML responses signed by the IdP's key
 * with xml-crypto (enveloped signature on the Assertion, exclusive c14n, RSA-SHA256).
 */
import { SignedXml } from 'xml-crypto';

/** IdP metadata carrying `certPem` as its signing certificate. */
export function idpMetadata(certPem: string, entityId = 'https://idp.example.com/saml', validUntil?: string): string {
  const b64 = certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entityId}"${validUntil ? ` validUntil="${validUntil}"` : ''}>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${b64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
<!-- ${'padding '.repeat(120)} -->`;
}

export interface ResponseSpec {
  privateKeyPem: string;
  roleArn: string;
  providerArn: string;
  sessionName?: string;
  subject?: string;
  issuer?: string;
  /** epoch ms */
  now: number;
  /** minutes the assertion stays valid */
  validMinutes?: number;
  audience?: string;
  extraAttributes?: Record<string, string[]>;
}

const attr = (name: string, values: string[]) =>
  `<saml:Attribute Name="${name}">${values.map((v) => `<saml:AttributeValue>${v}</saml:AttributeValue>`).join('')}</saml:Attribute>`;

/** A base64 SAML Response whose Assertion is signed with `privateKeyPem`. */
export function samlResponse(s: ResponseSpec): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  const until = iso(s.now + (s.validMinutes ?? 5) * 60_000);
  const attrs = {
    'https://aws.amazon.com/SAML/Attributes/Role': [`${s.roleArn},${s.providerArn}`],
    'https://aws.amazon.com/SAML/Attributes/RoleSessionName': [s.sessionName ?? 'jane@example.com'],
    ...(s.extraAttributes ?? {}),
  };
  const issuer = s.issuer ?? 'https://idp.example.com/saml';
  const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="${iso(s.now)}" Destination="https://signin.aws.amazon.com/saml"><saml:Issuer>${issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_a1" Version="2.0" IssueInstant="${iso(s.now)}"><saml:Issuer>${issuer}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${s.subject ?? 'jane'}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="https://signin.aws.amazon.com/saml"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="${iso(s.now - 60_000)}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${s.audience ?? 'https://signin.aws.amazon.com/saml'}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AttributeStatement>${Object.entries(attrs).map(([k, v]) => attr(k, v)).join('')}</saml:AttributeStatement></saml:Assertion></samlp:Response>`;
  const sig = new SignedXml({ privateKey: s.privateKeyPem, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
  sig.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, { location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
  return Buffer.from(sig.getSignedXml(), 'utf8').toString('base64');
}
