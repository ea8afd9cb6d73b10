// covers: s3.GetObject s3.PutObject s3.PutBucketCors s3.GetBucketCors s3.DeleteBucketCors
/** Presigned URLs (SDK v3 getSignedUrl, aws s3 presign, boto3) on the virtual clock, and bucket CORS with real preflights. */
import { describe, it, expect, beforeAll } from 'vitest';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, PutBucketCorsCommand, GetBucketCorsCommand, DeleteBucketCorsCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { useGureum, clientConfig, awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3 } from '../helpers.js';

const h = useGureum({ freezeClock: true });
let s3: S3Client;
const Bucket = 'presign-bucket';

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected an error');
}

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutObjectCommand({ Bucket, Key: 'file.txt', Body: 'presigned body' }));
});

describe('presigned URLs', () => {
  it('SDK v3 getSignedUrl: GET and PUT work without credentials until they expire on the virtual clock', async () => {
    const signer = new S3Client(clientConfig(h.g, { forcePathStyle: true, systemClockOffset: h.g.clock.now().getTime() - Date.now() }));
    const get = await getSignedUrl(signer, new GetObjectCommand({ Bucket, Key: 'file.txt' }), { expiresIn: 60 });
    expect(get).toContain('X-Amz-Signature=');
    let res = await fetch(get);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('presigned body');
    const put = await getSignedUrl(signer, new PutObjectCommand({ Bucket, Key: 'uploaded.txt' }), { expiresIn: 60 });
    res = await fetch(put, { method: 'PUT', body: 'from a browser' });
    expect(res.status).toBe(200);
    expect(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'uploaded.txt' }))).Body!.transformToString()).toBe('from a browser');

    h.g.clock.advance(61_000);
    res = await fetch(get);
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('<Message>Request has expired</Message>');
    expect(body).toContain('<X-Amz-Expires>60</X-Amz-Expires>');
    expect(body).toMatch(/<Expires>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/Expires>/);
    expect(body).toMatch(/<ServerTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/ServerTime>/);
  });

  it('refuses X-Amz-Expires above a week', async () => {
    const signer = new S3Client(clientConfig(h.g, { forcePathStyle: true, systemClockOffset: h.g.clock.now().getTime() - Date.now() }));
    const url = new URL(await getSignedUrl(signer, new GetObjectCommand({ Bucket, Key: 'file.txt' }), { expiresIn: 60 }));
    url.searchParams.set('X-Amz-Expires', '604801');
    const res = await fetch(url);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('AuthorizationQueryParametersError');
  });

  it.skipIf(!HAS_AWS_CLI)('aws s3 presign', async () => {
    // the CLI signs with the real time; move the virtual clock there first
    h.g.clock.set(Date.now());
    const r = await awsCli(h.g, ['s3', 'presign', `s3://${Bucket}/file.txt`, '--expires-in', '120']);
    expect(r.status, r.stderr).toBe(0);
    const url = r.stdout.trim();
    expect((await fetch(url)).status).toBe(200);
    h.g.clock.advance(130_000);
    expect((await fetch(url)).status).toBe(403);
  });

  it.skipIf(!HAS_PYTHON_BOTO3)('boto3 generate_presigned_url', async () => {
    h.g.clock.set(Date.now());
    const r = await boto3(h.g, `s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1', config=boto3.session.Config(signature_version='s3v4'))
print(json.dumps(s3.generate_presigned_url('get_object', Params={'Bucket': '${Bucket}', 'Key': 'file.txt'}, ExpiresIn=30)))`);
    expect(r.status, r.stderr).toBe(0);
    const url = r.json as string;
    expect(await (await fetch(url)).text()).toBe('presigned body');
    h.g.clock.advance(40_000);
    expect((await fetch(url)).status).toBe(403);
  });
});

describe('CORS', () => {
  const preflight = (path: string, origin: string, method: string, headers?: string) =>
    fetch(h.g.endpoint + path, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, ...(headers ? { 'access-control-request-headers': headers } : {}) } });

  it('Put/Get/DeleteBucketCors with validation', async () => {
    const none = await errorOf(s3.send(new GetBucketCorsCommand({ Bucket })));
    expect([none.name, none.status]).toEqual(['NoSuchCORSConfiguration', 404]);
    const bad = await errorOf(s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['PATCH'], AllowedOrigins: ['*'] }] } })));
    expect([bad.name, bad.message]).toEqual(['InvalidRequest', 'Found unsupported HTTP method in CORS config. Unsupported method is PATCH']);
    const rules = [
      { ID: 'app', AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://*.example.com'], AllowedHeaders: ['content-type', 'x-amz-*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 300 },
      { AllowedMethods: ['GET'], AllowedOrigins: ['*'] },
    ];
    await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: rules } }));
    expect((await s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules).toEqual(rules);
  });

  it('answers preflights from the bucket rules, 403 when none matches', async () => {
    let res = await preflight(`/${Bucket}/file.txt`, 'https://app.example.com', 'PUT', 'Content-Type, X-Amz-Date');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, PUT');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type, x-amz-date');
    expect(res.headers.get('access-control-max-age')).toBe('300');
    expect(res.headers.get('access-control-expose-headers')).toBe('ETag');
    res = await preflight(`/${Bucket}/file.txt`, 'https://evil.test', 'GET');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    res = await preflight(`/${Bucket}/file.txt`, 'https://evil.test', 'PUT');
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toContain('<Code>AccessForbidden</Code>');
    expect(body).toContain('CORSResponse: This CORS request is not allowed.');
    expect(body).toContain('<ResourceType>OBJECT</ResourceType>');
    res = await preflight(`/${Bucket}/file.txt`, 'https://app.example.com', 'PUT', 'x-custom');
    expect(res.status).toBe(403);
    // actual requests carry the matching rule's headers
    const get = await fetch(`${h.g.endpoint}/${Bucket}/file.txt`, { headers: { origin: 'https://app.example.com', authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(get.headers.get('access-control-expose-headers')).toBe('ETag');
  });

  it('keeps the permissive default for buckets without rules and for other services', async () => {
    await s3.send(new DeleteBucketCorsCommand({ Bucket }));
    const res = await preflight(`/${Bucket}/file.txt`, 'https://evil.test', 'PUT');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://evil.test');
    const other = await preflight('/', 'https://evil.test', 'POST');
    expect(other.status).toBe(200);
  });
});
