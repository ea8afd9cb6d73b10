// covers: acm.RequestCertificate acm.DescribeCertificate acm.GetCertificate acm.ListCertificates acm.DeleteCertificate acm.ImportCertificate acm.ExportCertificate acm.AddTagsToCertificate acm.RemoveTagsFromCertificate acm.ListTagsForCertificate acm.RenewCertificate acm.GetAccountConfiguration acm.PutAccountConfiguration acm.ResendValidationEmail
import { beforeAll, describe, expect, test } from 'vitest';
import { createPrivateKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import {
  ACMClient, AddTagsToCertificateCommand, DeleteCertificateCommand, DescribeCertificateCommand, ExportCertificateCommand, GetAccountConfigurationCommand,
  GetCertificateCommand, ImportCertificateCommand, ListCertificatesCommand, ListTagsForCertificateCommand, PutAccountConfigurationCommand,
  RemoveTagsFromCertificateCommand, RenewCertificateCommand, RequestCertificateCommand, ResendValidationEmailCommand,
} from '@aws-sdk/client-acm';
import { clientConfig, failure, useGureum } from '../helpers.js';
import { buildCertificate, keyIdentifier, OID } from '../../src/services/acm/domain/x509.js';

const ctx = useGureum({ freezeClock: true });
const T0 = Date.parse('2026-03-10T12:00:00Z');
const DAY = 86_400_000;
beforeAll(() => ctx.g.clock.set(T0));

const acm = () => new ACMClient(clientConfig(ctx.g));
const describeCert = async (arn: string) => (await acm().send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
const pems = (s: string) => s.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g)!.map((p) => new X509Certificate(p));

/** A test CA and leaf made with the same builder (fixtures for ImportCertificate). */
function fixture(opts: { notBefore?: number; notAfter?: number; cn?: string; key?: 'rsa' | 'ec' } = {}) {
  const ca = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const caName: [string, string][] = [[OID.O, 'Test Org'], [OID.CN, 'Test CA']];
  const caPem = buildCertificate({ subject: caName, issuer: caName, serial: Buffer.from([1]), notBefore: T0 - 10 * DAY, notAfter: T0 + 3650 * DAY, publicKey: ca.publicKey, signingKey: ca.privateKey, ca: true, keyUsage: ['CERTIFICATE_SIGNING', 'CRL_SIGNING'] });
  const leaf = opts.key === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const leafPem = buildCertificate({
    subject: [[OID.CN, opts.cn ?? 'imported.example.com']], issuer: caName, serial: Buffer.from([0x0a, 0xbc]),
    notBefore: opts.notBefore ?? T0 - DAY, notAfter: opts.notAfter ?? T0 + 90 * DAY, publicKey: leaf.publicKey, signingKey: ca.privateKey, ca: false,
    keyUsage: ['DIGITAL_SIGNATURE', 'KEY_ENCIPHERMENT'], extKeyUsage: ['1.3.6.1.5.5.7.3.1'], dnsNames: [opts.cn ?? 'imported.example.com', 'alt.example.com'],
    authorityKeyId: keyIdentifier(ca.publicKey),
  });
  const keyPem = (leaf.privateKey as KeyObject).export({ type: 'pkcs8', format: 'pem' }).toString();
  return { caPem, leafPem, keyPem, caKey: ca };
}

describe('RequestCertificate with DNS validation on the clock', () => {
  let arn: string;
  test('pending, then the CNAME appears, then ISSUED with a real chain from the local CA', async () => {
    const t = ctx.g.clock.now().getTime();
    arn = (await acm().send(new RequestCertificateCommand({
      DomainName: 'example.com', SubjectAlternativeNames: ['*.example.com', 'www.example.com'], ValidationMethod: 'DNS', Tags: [{ Key: 'env', Value: 'dev' }],
    }))).CertificateArn!;
    expect(arn).toMatch(/^arn:aws:acm:us-east-1:000000000000:certificate\/[0-9a-f-]{36}$/);
    let c = await describeCert(arn);
    expect(c).toMatchObject({ Status: 'PENDING_VALIDATION', Type: 'AMAZON_ISSUED', DomainName: 'example.com', KeyAlgorithm: 'RSA_2048', RenewalEligibility: 'INELIGIBLE', SubjectAlternativeNames: ['example.com', '*.example.com', 'www.example.com'] });
    expect(c.DomainValidationOptions).toHaveLength(3);
    expect(c.DomainValidationOptions![0]!.ResourceRecord).toBeUndefined();
    expect(await failure(acm().send(new GetCertificateCommand({ CertificateArn: arn })))).toMatchObject({ name: 'RequestInProgressException' });

    ctx.g.clock.advance(5_000);
    c = await describeCert(arn);
    const [apex, wildcard, www] = c.DomainValidationOptions!;
    expect(apex).toMatchObject({ DomainName: 'example.com', ValidationDomain: 'example.com', ValidationMethod: 'DNS', ValidationStatus: 'PENDING_VALIDATION' });
    expect(apex!.ResourceRecord!.Name).toMatch(/^_[0-9a-f]{32}\.example\.com\.$/);
    expect(apex!.ResourceRecord!.Type).toBe('CNAME');
    expect(apex!.ResourceRecord!.Value).toMatch(/^_[0-9a-f]{32}\.[a-z]{10}\.acm-validations\.aws\.$/);
    expect(wildcard!.ResourceRecord).toEqual(apex!.ResourceRecord); // *.example.com validates with the apex record
    expect(www!.ResourceRecord!.Name).toMatch(/\.www\.example\.com\.$/);

    ctx.g.clock.advance(60_000);
    c = await describeCert(arn);
    expect(c).toMatchObject({ Status: 'ISSUED', Subject: 'CN=example.com', Issuer: 'gureum', SignatureAlgorithm: 'SHA256WITHRSA' });
    expect(c.DomainValidationOptions!.every((d) => d.ValidationStatus === 'SUCCESS')).toBe(true);
    expect(c.IssuedAt!.getTime()).toBe(t + 65_000);
    expect(c.NotBefore!.getTime()).toBe(t + 65_000);
    expect(Math.round((c.NotAfter!.getTime() - c.NotBefore!.getTime()) / DAY)).toBe(395);
    expect(c.KeyUsages).toEqual([{ Name: 'DIGITAL_SIGNATURE' }, { Name: 'KEY_ENCIPHERMENT' }]);
    expect(c.ExtendedKeyUsages!.map((e) => e.Name)).toEqual(['TLS_WEB_SERVER_AUTHENTICATION', 'TLS_WEB_CLIENT_AUTHENTICATION']);

    const got = await acm().send(new GetCertificateCommand({ CertificateArn: arn }));
    const leaf = new X509Certificate(got.Certificate!);
    const [inter, root] = pems(got.CertificateChain!);
    expect(leaf.subject).toBe('CN=example.com');
    expect(leaf.subjectAltName).toBe('DNS:example.com, DNS:*.example.com, DNS:www.example.com');
    expect(Date.parse(leaf.validFrom)).toBe(c.NotBefore!.getTime());
    expect(Date.parse(leaf.validTo)).toBe(c.NotAfter!.getTime());
    expect(leaf.serialNumber.toLowerCase().replace(/^(00)+/, '')).toBe(c.Serial!.replace(/:/g, ''));
    expect(leaf.verify(inter!.publicKey)).toBe(true);
    expect(inter!.verify(root!.publicKey)).toBe(true);
    expect(root!.verify(root!.publicKey)).toBe(true);
    expect(leaf.checkIssued(inter!)).toBe(true);
    expect(inter!.ca && root!.ca && !leaf.ca).toBe(true);
    expect(leaf.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  test('the local CA is the same for every certificate; EC keys; idempotency token for an hour', async () => {
    const a = (await acm().send(new RequestCertificateCommand({ DomainName: 'ec.example.org', ValidationMethod: 'DNS', KeyAlgorithm: 'EC_prime256v1', IdempotencyToken: 'tok1' }))).CertificateArn!;
    expect((await acm().send(new RequestCertificateCommand({ DomainName: 'ec.example.org', ValidationMethod: 'DNS', KeyAlgorithm: 'EC_prime256v1', IdempotencyToken: 'tok1' }))).CertificateArn).toBe(a);
    ctx.g.clock.advance(3_600_000);
    const b = (await acm().send(new RequestCertificateCommand({ DomainName: 'ec.example.org', ValidationMethod: 'DNS', KeyAlgorithm: 'EC_prime256v1', IdempotencyToken: 'tok1' }))).CertificateArn!;
    expect(b).not.toBe(a);
    const got = await acm().send(new GetCertificateCommand({ CertificateArn: a }));
    const first = await acm().send(new GetCertificateCommand({ CertificateArn: arn }));
    expect(got.CertificateChain).toBe(first.CertificateChain);
    const leaf = new X509Certificate(got.Certificate!);
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(leaf.verify(pems(got.CertificateChain!)[0]!.publicKey)).toBe(true);
    expect((await describeCert(a)).KeyUsages).toEqual([{ Name: 'DIGITAL_SIGNATURE' }]);
  });

  test('EMAIL validation lists the five addresses; ResendValidationEmail', async () => {
    const a = (await acm().send(new RequestCertificateCommand({ DomainName: 'mail.example.net', DomainValidationOptions: [{ DomainName: 'mail.example.net', ValidationDomain: 'example.net' }] }))).CertificateArn!;
    const c = await describeCert(a);
    expect(c.DomainValidationOptions![0]).toMatchObject({ ValidationMethod: 'EMAIL', ValidationDomain: 'example.net', ValidationEmails: ['admin@example.net', 'administrator@example.net', 'hostmaster@example.net', 'postmaster@example.net', 'webmaster@example.net'] });
    await acm().send(new ResendValidationEmailCommand({ CertificateArn: a, Domain: 'mail.example.net', ValidationDomain: 'example.net' }));
    expect((await failure(acm().send(new ResendValidationEmailCommand({ CertificateArn: a, Domain: 'other.example.net', ValidationDomain: 'example.net' })))).name).toBe('InvalidDomainValidationOptionsException');
  });

  test('validation of names and options', async () => {
    const req = (input: Record<string, unknown>) => failure(acm().send(new RequestCertificateCommand({ DomainName: 'ok.example.com', ...input } as never)));
    expect(await req({ DomainName: 'a.*.example.com' })).toMatchObject({ name: 'ValidationException', message: expect.stringContaining("at 'domainName' failed to satisfy constraint: Member must satisfy regular expression pattern") });
    expect((await req({ DomainName: '*.*.example.com' })).name).toBe('ValidationException');
    expect((await req({ DomainName: 'localhost' })).name).toBe('ValidationException');
    expect(await req({ SubjectAlternativeNames: [`${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example.com`] })).toMatchObject({ message: expect.stringContaining('Member must have length less than or equal to 253') });
    expect(await req({ SubjectAlternativeNames: Array.from({ length: 101 }, (_, i) => `n${i}.example.com`) })).toMatchObject({ name: 'ValidationException', message: expect.stringContaining("at 'subjectAlternativeNames' failed to satisfy constraint: Member must have length less than or equal to 100") });
    expect((await req({ KeyAlgorithm: 'RSA_4096' })).name).toBe('ValidationException');
    expect((await req({ KeyAlgorithm: 'DSA' })).name).toBe('ValidationException');
    expect((await req({ ValidationMethod: 'FAX' })).name).toBe('ValidationException');
    expect((await req({ DomainValidationOptions: [{ DomainName: 'other.example.com', ValidationDomain: 'example.com' }] })).name).toBe('InvalidDomainValidationOptionsException');
    expect((await req({ DomainValidationOptions: [{ DomainName: 'ok.example.com', ValidationDomain: 'example.org' }] })).name).toBe('InvalidDomainValidationOptionsException');
    expect((await req({ CertificateAuthorityArn: 'arn:aws:s3:::bucket' })).name).toBe('InvalidArnException');
    const hundred = (await acm().send(new RequestCertificateCommand({ DomainName: 'ok.example.com', SubjectAlternativeNames: Array.from({ length: 99 }, (_, i) => `n${i}.example.com`) }))).CertificateArn!;
    expect((await describeCert(hundred)).SubjectAlternativeNames).toHaveLength(100);
  });
});

describe('private certificates', () => {
  const PCA = 'arn:aws:acm-pca:us-east-1:000000000000:certificate-authority/12345678-1234-1234-1234-123456789012';
  test('issued at once, exported with a passphrase-encrypted PKCS#8 key, renewed', async () => {
    const arn = (await acm().send(new RequestCertificateCommand({ DomainName: 'internal.corp.example', CertificateAuthorityArn: PCA, KeyAlgorithm: 'EC_secp384r1' }))).CertificateArn!;
    const c = await describeCert(arn);
    expect(c).toMatchObject({ Status: 'ISSUED', Type: 'PRIVATE', CertificateAuthorityArn: PCA, RenewalEligibility: 'ELIGIBLE', KeyAlgorithm: 'EC_secp384r1' });
    expect(c.DomainValidationOptions).toBeUndefined();
    const out = await acm().send(new ExportCertificateCommand({ CertificateArn: arn, Passphrase: Buffer.from('s3cret-pass') }));
    expect(out.PrivateKey).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const key = createPrivateKey({ key: out.PrivateKey!, passphrase: 's3cret-pass' });
    expect(new X509Certificate(out.Certificate!).checkPrivateKey(key)).toBe(true);
    expect(() => createPrivateKey({ key: out.PrivateKey!, passphrase: 'wrong' })).toThrow();
    expect((await acm().send(new ListCertificatesCommand({ Includes: { keyTypes: ['EC_secp384r1'] } }))).CertificateSummaryList!.find((s) => s.CertificateArn === arn)).toMatchObject({ Exported: true, Type: 'PRIVATE' });

    ctx.g.clock.advance(DAY);
    await acm().send(new RenewCertificateCommand({ CertificateArn: arn }));
    const r = await describeCert(arn);
    expect(r.Serial).not.toBe(c.Serial);
    expect(r.NotBefore!.getTime()).toBe(ctx.g.clock.now().getTime());
    expect(r.RenewalSummary).toMatchObject({ RenewalStatus: 'SUCCESS' });

    expect(await failure(acm().send(new ExportCertificateCommand({ CertificateArn: arn, Passphrase: Buffer.from('abc') })))).toMatchObject({ name: 'ValidationException' });
    const pub = (await acm().send(new RequestCertificateCommand({ DomainName: 'pub.example.com' }))).CertificateArn!;
    expect(await failure(acm().send(new ExportCertificateCommand({ CertificateArn: pub, Passphrase: Buffer.from('passphrase') })))).toMatchObject({ name: 'ValidationException', message: `Certificate ARN: ${pub} is not a private certificate` });
    expect((await failure(acm().send(new RenewCertificateCommand({ CertificateArn: pub })))).name).toBe('ValidationException');
  });
});

describe('ImportCertificate', () => {
  test('imports a certificate with key and chain; describe reads the X.509 fields; reimport into the ARN', async () => {
    const f = fixture();
    const arn = (await acm().send(new ImportCertificateCommand({ Certificate: Buffer.from(f.leafPem), PrivateKey: Buffer.from(f.keyPem), CertificateChain: Buffer.from(f.caPem), Tags: [{ Key: 'src', Value: 'import' }] }))).CertificateArn!;
    const c = await describeCert(arn);
    expect(c).toMatchObject({
      Type: 'IMPORTED', Status: 'ISSUED', DomainName: 'imported.example.com', SubjectAlternativeNames: ['imported.example.com', 'alt.example.com'],
      Subject: 'CN=imported.example.com', Issuer: 'Test Org', Serial: '0a:bc', KeyAlgorithm: 'RSA_2048', SignatureAlgorithm: 'SHA256WITHRSA',
      KeyUsages: [{ Name: 'DIGITAL_SIGNATURE' }, { Name: 'KEY_ENCIPHERMENT' }], ExtendedKeyUsages: [{ Name: 'TLS_WEB_SERVER_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.1' }],
      RenewalEligibility: 'INELIGIBLE',
    });
    expect(c.ImportedAt!.getTime()).toBe(ctx.g.clock.now().getTime());
    expect(c.NotAfter!.getTime()).toBe(T0 + 90 * DAY);
    const got = await acm().send(new GetCertificateCommand({ CertificateArn: arn }));
    expect(new X509Certificate(got.Certificate!).verify(pems(got.CertificateChain!)[0]!.publicKey)).toBe(true);
    expect((await acm().send(new ListTagsForCertificateCommand({ CertificateArn: arn }))).Tags).toEqual([{ Key: 'src', Value: 'import' }]);

    const g2 = fixture({ cn: 'renewed.example.com', key: 'ec' });
    expect((await acm().send(new ImportCertificateCommand({ CertificateArn: arn, Certificate: Buffer.from(g2.leafPem), PrivateKey: Buffer.from(g2.keyPem) }))).CertificateArn).toBe(arn);
    expect(await describeCert(arn)).toMatchObject({ DomainName: 'renewed.example.com', KeyAlgorithm: 'EC_prime256v1' });
    expect((await acm().send(new GetCertificateCommand({ CertificateArn: arn }))).CertificateChain).toBeUndefined();
    expect((await failure(acm().send(new ImportCertificateCommand({ CertificateArn: arn, Certificate: Buffer.from(g2.leafPem), PrivateKey: Buffer.from(g2.keyPem), Tags: [{ Key: 'a' }] })))).name).toBe('ValidationException');
  });

  test('rejects what AWS rejects', async () => {
    const f = fixture();
    const imp = (cert: string, key: string, chain?: string, arn?: string) =>
      failure(acm().send(new ImportCertificateCommand({ Certificate: Buffer.from(cert), PrivateKey: Buffer.from(key), CertificateChain: chain ? Buffer.from(chain) : undefined, CertificateArn: arn })));
    expect(await imp(f.leafPem + f.caPem, f.keyPem)).toMatchObject({ name: 'ValidationException', message: 'The certificate field contains more than one certificate. You can specify only one certificate in this field.' });
    expect((await imp('not a certificate', f.keyPem)).name).toBe('ValidationException');
    expect(await imp(f.leafPem, fixture().keyPem)).toMatchObject({ name: 'ValidationException', message: 'The private key does not match the public key in the certificate.' });
    expect((await imp(f.leafPem, 'garbage')).name).toBe('ValidationException');
    const old = fixture({ notBefore: T0 - 400 * DAY, notAfter: T0 - DAY });
    expect(await imp(old.leafPem, old.keyPem)).toMatchObject({ message: 'The certificate has expired, is not valid.' });
    expect(await imp(f.leafPem, f.keyPem, fixture().caPem)).toMatchObject({ message: 'Could not validate the certificate with the certificate chain.' });
    const missing = 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000';
    expect(await imp(f.leafPem, f.keyPem, undefined, missing)).toMatchObject({ name: 'ResourceNotFoundException', message: `Could not find certificate with arn ${missing}.` });
  });
});

describe('list, tags, delete, account configuration', () => {
  test('ListCertificates: default RSA only, statuses, key types, paging, sort', async () => {
    const all = (await acm().send(new ListCertificatesCommand({}))).CertificateSummaryList!;
    expect(all.length).toBeGreaterThan(3);
    expect(all.every((s) => s.KeyAlgorithm === 'RSA_2048')).toBe(true);
    const ec = (await acm().send(new ListCertificatesCommand({ Includes: { keyTypes: ['EC_prime256v1'] } }))).CertificateSummaryList!;
    expect(ec.length).toBeGreaterThan(0);
    expect(ec.every((s) => s.KeyAlgorithm === 'EC_prime256v1')).toBe(true);
    const pending = (await acm().send(new ListCertificatesCommand({ CertificateStatuses: ['PENDING_VALIDATION'] }))).CertificateSummaryList!;
    expect(pending.every((s) => s.Status === 'PENDING_VALIDATION')).toBe(true);
    const server = (await acm().send(new ListCertificatesCommand({ Includes: { extendedKeyUsage: ['TLS_WEB_SERVER_AUTHENTICATION'] } }))).CertificateSummaryList!;
    expect(server.every((s) => s.ExtendedKeyUsages!.includes('TLS_WEB_SERVER_AUTHENTICATION'))).toBe(true);
    const ku = (await acm().send(new ListCertificatesCommand({ Includes: { keyUsage: ['KEY_ENCIPHERMENT'] } }))).CertificateSummaryList!;
    expect(ku.length).toBeGreaterThan(0);
    let token: string | undefined;
    const seen: string[] = [];
    do {
      const page = await acm().send(new ListCertificatesCommand({ MaxItems: 2, NextToken: token, SortBy: 'CREATED_AT', SortOrder: 'DESCENDING' }));
      expect(page.CertificateSummaryList!.length).toBeLessThanOrEqual(2);
      seen.push(...page.CertificateSummaryList!.map((s) => s.CertificateArn!));
      token = page.NextToken;
    } while (token);
    expect(seen).toHaveLength(all.length);
    // not a CertificateStatus on purpose: the service must reject it
    expect((await failure(acm().send(new ListCertificatesCommand({ CertificateStatuses: ['NOPE' as never] })))).name).toBe('ValidationException');
  });

  test('tags, delete, errors for ARNs', async () => {
    const arn = (await acm().send(new RequestCertificateCommand({ DomainName: 'tags.example.com' }))).CertificateArn!;
    await acm().send(new AddTagsToCertificateCommand({ CertificateArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await acm().send(new AddTagsToCertificateCommand({ CertificateArn: arn, Tags: [{ Key: 'a', Value: '3' }] }));
    await acm().send(new RemoveTagsFromCertificateCommand({ CertificateArn: arn, Tags: [{ Key: 'b', Value: 'not-2' }] }));
    expect((await acm().send(new ListTagsForCertificateCommand({ CertificateArn: arn }))).Tags).toEqual([{ Key: 'a', Value: '3' }, { Key: 'b', Value: '2' }]);
    await acm().send(new RemoveTagsFromCertificateCommand({ CertificateArn: arn, Tags: [{ Key: 'b' }] }));
    expect((await acm().send(new ListTagsForCertificateCommand({ CertificateArn: arn }))).Tags).toEqual([{ Key: 'a', Value: '3' }]);
    expect((await failure(acm().send(new AddTagsToCertificateCommand({ CertificateArn: arn, Tags: [{ Key: 'aws:x', Value: '1' }] })))).name).toBe('InvalidTagException');

    await acm().send(new DeleteCertificateCommand({ CertificateArn: arn }));
    expect(await failure(acm().send(new DescribeCertificateCommand({ CertificateArn: arn })))).toMatchObject({ name: 'ResourceNotFoundException', message: `Could not find certificate with arn ${arn}.`, status: 400 });
    expect((await failure(acm().send(new DeleteCertificateCommand({ CertificateArn: arn })))).name).toBe('ResourceNotFoundException');
    expect((await failure(acm().send(new DescribeCertificateCommand({ CertificateArn: 'not-an-arn-at-all-really' })))).name).toBe('ValidationException');
    expect((await failure(acm().send(new DescribeCertificateCommand({ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:loadbalancer/abc' })))).name).toBe('InvalidArnException');
  });

  test('account configuration', async () => {
    expect((await acm().send(new GetAccountConfigurationCommand({}))).ExpiryEvents).toEqual({ DaysBeforeExpiry: 45 });
    await acm().send(new PutAccountConfigurationCommand({ IdempotencyToken: 'cfg1', ExpiryEvents: { DaysBeforeExpiry: 30 } }));
    expect((await acm().send(new GetAccountConfigurationCommand({}))).ExpiryEvents).toEqual({ DaysBeforeExpiry: 30 });
    expect((await failure(acm().send(new PutAccountConfigurationCommand({ IdempotencyToken: 'cfg2', ExpiryEvents: { DaysBeforeExpiry: 46 } })))).name).toBe('ValidationException');
  });

  test('an issued certificate becomes EXPIRED after NotAfter on the clock', async () => {
    const arn = (await acm().send(new RequestCertificateCommand({ DomainName: 'short.example.com', ValidationMethod: 'DNS' }))).CertificateArn!;
    ctx.g.clock.advance(2 * 60_000);
    expect((await describeCert(arn)).Status).toBe('ISSUED');
    ctx.g.clock.advance(396 * DAY);
    expect((await describeCert(arn)).Status).toBe('EXPIRED');
  });
});
