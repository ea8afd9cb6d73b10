// covers: acm.RequestCertificate acm.DescribeCertificate acm.ImportCertificate acm.GetCertificate acm.ListCertificates
import { beforeAll, describe, expect, test } from 'vitest';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3, useGureum } from '../helpers.js';
import { buildCertificate, OID } from '../../src/services/acm/domain/x509.js';

const ctx = useGureum({ freezeClock: true });
const T0 = Date.parse('2026-05-01T00:00:00Z');
const DAY = 86_400_000;
beforeAll(() => ctx.g.clock.set(T0));

function selfSigned(cn: string) {
  const k = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const name: [string, string][] = [[OID.CN, cn]];
  const cert = buildCertificate({ subject: name, issuer: name, serial: Buffer.from([7]), notBefore: T0 - DAY, notAfter: T0 + 30 * DAY, publicKey: k.publicKey, signingKey: k.privateKey, dnsNames: [cn] });
  return { cert, key: k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  test('request-certificate, describe-certificate on the clock, import-certificate with fileb://', async () => {
    const r = await awsCli(ctx.g, ['acm', 'request-certificate', '--domain-name', 'cli.example.com', '--validation-method', 'DNS', '--subject-alternative-names', 'www.cli.example.com']);
    expect(r.status, r.stderr).toBe(0);
    const arn = (r.json as { CertificateArn: string }).CertificateArn;
    ctx.g.clock.advance(10_000);
    let d = await awsCli(ctx.g, ['acm', 'describe-certificate', '--certificate-arn', arn]);
    const c = (d.json as { Certificate: { Status: string; DomainValidationOptions: { ResourceRecord: { Type: string } }[] } }).Certificate;
    expect(c.Status).toBe('PENDING_VALIDATION');
    expect(c.DomainValidationOptions[0]!.ResourceRecord.Type).toBe('CNAME');
    ctx.g.clock.advance(60_000);
    d = await awsCli(ctx.g, ['acm', 'describe-certificate', '--certificate-arn', arn]);
    expect((d.json as { Certificate: { Status: string } }).Certificate.Status).toBe('ISSUED');
    const g = await awsCli(ctx.g, ['acm', 'get-certificate', '--certificate-arn', arn]);
    expect(new X509Certificate((g.json as { Certificate: string }).Certificate).subjectAltName).toBe('DNS:cli.example.com, DNS:www.cli.example.com');

    const dir = mkdtempSync(join(tmpdir(), 'acm-cli-'));
    const s = selfSigned('cli-import.example.com');
    writeFileSync(join(dir, 'cert.pem'), s.cert);
    writeFileSync(join(dir, 'key.pem'), s.key);
    const imp = await awsCli(ctx.g, ['acm', 'import-certificate', '--certificate', `fileb://${join(dir, 'cert.pem')}`, '--private-key', `fileb://${join(dir, 'key.pem')}`]);
    expect(imp.status, imp.stderr).toBe(0);
    const ia = (imp.json as { CertificateArn: string }).CertificateArn;
    d = await awsCli(ctx.g, ['acm', 'describe-certificate', '--certificate-arn', ia]);
    expect((d.json as { Certificate: Record<string, unknown> }).Certificate).toMatchObject({ Type: 'IMPORTED', DomainName: 'cli-import.example.com', Subject: 'CN=cli-import.example.com' });
    const l = await awsCli(ctx.g, ['acm', 'list-certificates', '--certificate-statuses', 'ISSUED']);
    expect((l.json as { CertificateSummaryList: { CertificateArn: string }[] }).CertificateSummaryList.map((x) => x.CertificateArn)).toEqual(expect.arrayContaining([arn, ia]));
    const e = await awsCli(ctx.g, ['acm', 'describe-certificate', '--certificate-arn', 'arn:aws:acm:us-east-1:000000000000:certificate/nope']);
    expect(e.status).not.toBe(0);
    expect(e.stderr).toContain('ResourceNotFoundException');
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  test('request, import, get, describe', async () => {
    const s = selfSigned('py.example.com');
    const r = await boto3(ctx.g, `
acm = boto3.client('acm', endpoint_url=ENDPOINT, region_name='us-east-1')
arn = acm.request_certificate(DomainName='py.example.com', ValidationMethod='DNS', KeyAlgorithm='EC_secp384r1')['CertificateArn']
c = acm.describe_certificate(CertificateArn=arn)['Certificate']
try:
    acm.get_certificate(CertificateArn=arn)
    pending = 'no error'
except acm.exceptions.RequestInProgressException as e:
    pending = e.response['Error']['Code']
ia = acm.import_certificate(Certificate=${JSON.stringify(s.cert)}.encode(), PrivateKey=${JSON.stringify(s.key)}.encode())['CertificateArn']
got = acm.get_certificate(CertificateArn=ia)
d = acm.describe_certificate(CertificateArn=ia)['Certificate']
print(json.dumps({'status': c['Status'], 'key': c['KeyAlgorithm'], 'pending': pending, 'cert': got['Certificate'], 'type': d['Type'], 'notAfter': d['NotAfter'].isoformat()}))
`);
    expect(r.status, r.stderr).toBe(0);
    const j = r.json as Record<string, string>;
    expect(j).toMatchObject({ status: 'PENDING_VALIDATION', key: 'EC_secp384r1', pending: 'RequestInProgressException', type: 'IMPORTED' });
    expect(new X509Certificate(j.cert!).subject).toBe('CN=py.example.com');
    expect(Date.parse(j.notAfter!)).toBe(T0 + 30 * DAY);
  });
});
