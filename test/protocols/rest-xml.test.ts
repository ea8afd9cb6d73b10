// covers: s3.CreateBucket s3.PutObject s3.GetObject s3.HeadObject s3.ListBuckets s3.ListObjectsV2
/**
 * rest-xml on the wire (raw HTTP): S3's bare <Error> documents and request-id headers,
 * bodiless HEAD errors, XML output roots and namespaces, aws-chunked bodies in every
 * framing the SDKs use (signed, unsigned, with and without trailers) and their failures,
 * routing by required headers, and the wrapped <ErrorResponse> of other rest-xml services.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { request } from 'node:http';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { useGureum } from '../helpers.js';

const h = useGureum();

interface Res { status: number; headers: Record<string, string | string[] | undefined>; text: string }

const AUTH = (region = 'us-east-1', service = 's3') =>
  `AWS4-HMAC-SHA256 Credential=test/20260101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;

/** Raw HTTP; `body` may be given in pieces, written one per turn of the event loop. */
function http(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer | (string | Buffer)[]): Promise<Res> {
  const url = new URL(h.g.endpoint);
  const pieces = body === undefined ? [] : Array.isArray(body) ? body : [body];
  const total = pieces.reduce((n, p) => n + Buffer.byteLength(p), 0);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers: { authorization: AUTH(), ...headers, ...(body !== undefined ? { 'content-length': String(total) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    (async () => {
      for (const p of pieces) {
        req.write(p);
        await new Promise((r) => setImmediate(r));
      }
      req.end();
    })();
  });
}

const b64crc32 = (s: string) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(Buffer.from(s)));
  return b.toString('base64');
};
const SIG = 'a'.repeat(64);

beforeAll(async () => {
  expect((await http('PUT', '/wire-bucket')).status).toBe(200);
});

describe('S3 errors and headers', () => {
  it('answers a bare <Error> with the error fields, RequestId and HostId, plus id headers', async () => {
    const r = await http('GET', '/wire-bucket/missing-key');
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe('application/xml');
    const id = r.headers['x-amz-request-id'] as string;
    expect(id).toBeTruthy();
    expect(r.headers['x-amz-id-2']).toBeTruthy();
    expect(r.text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist\.<\/Message><Key>missing-key<\/Key><RequestId>/);
    expect(r.text).toContain(`<RequestId>${id}</RequestId>`);
    expect(r.text).toContain('<HostId>');
    const nb = await http('GET', '/no-such-wire-bucket/k');
    expect(nb.text).toContain('<Code>NoSuchBucket</Code>');
    expect(nb.text).toContain('<BucketName>no-such-wire-bucket</BucketName>');
  });

  it('sends no body for HEAD errors', async () => {
    const r = await http('HEAD', '/wire-bucket/missing-key');
    expect(r.status).toBe(404);
    expect(r.text).toBe('');
    expect(r.headers['x-amz-request-id']).toBeTruthy();
    const b = await http('HEAD', '/no-such-wire-bucket');
    expect(b.status).toBe(404);
    expect(b.text).toBe('');
  });

  it('writes S3 output roots with the S3 namespace', async () => {
    const r = await http('GET', '/');
    expect(r.status).toBe(200);
    expect(r.text).toContain('<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    expect(r.text).toContain('<Buckets><Bucket><Name>wire-bucket</Name><CreationDate>');
    expect(r.headers['x-amz-id-2']).toBeTruthy();
    const l = await http('GET', '/wire-bucket?list-type=2&prefix=zz');
    expect(l.text).toContain('<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>wire-bucket</Name><Prefix>zz</Prefix>');
    expect(l.text).toContain('<KeyCount>0</KeyCount>');
  });

  it('answers MalformedXML, IllegalLocationConstraintException, MethodNotAllowed and NotImplemented', async () => {
    let r = await http('PUT', '/xml-broken', {}, '<CreateBucketConfiguration><LocationConstraint>eu-west-1</Location');
    expect(r.status).toBe(400);
    expect(r.text).toContain('<Code>MalformedXML</Code>');
    // outside us-east-1 a bucket must name its region (SDK v3 always does; raw clients may not)
    r = await http('PUT', '/no-constraint', { authorization: AUTH('us-west-2') });
    expect(r.status).toBe(400);
    expect(r.text).toContain('<Code>IllegalLocationConstraintException</Code>');
    r = await http('PUT', '/with-constraint', { authorization: AUTH('us-west-2') }, '<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>us-west-2</LocationConstraint></CreateBucketConfiguration>');
    expect(r.status).toBe(200);
    expect(r.headers.location).toBe('http://with-constraint.s3.amazonaws.com/');
    r = await http('PATCH', '/wire-bucket');
    expect(r.status).toBe(405);
    expect(r.text).toContain('<Code>MethodNotAllowed</Code>');
    r = await http('GET', '/wire-bucket/any-key?torrent');
    expect(r.status).toBe(501);
    expect(r.text).toContain('<Code>NotImplemented</Code>');
    expect(r.text).toContain('GetObjectTorrent');
  });

  it('routes PUT with x-amz-copy-source to CopyObject and without it to PutObject', async () => {
    const put = await http('PUT', '/wire-bucket/routed', {}, 'data');
    expect(put.status).toBe(200);
    const copy = await http('PUT', '/wire-bucket/copy', { 'x-amz-copy-source': '/wire-bucket/routed' });
    expect(copy.text).toContain('CopyObject');
  });

  it('round-trips user metadata and checks Content-MD5 and x-amz-content-sha256', async () => {
    const body = 'metadata body';
    let r = await http('PUT', '/wire-bucket/meta', { 'x-amz-meta-color': 'blue', 'x-amz-meta-Mixed-Case': 'v', 'content-type': 'text/x-test' }, body);
    expect(r.status).toBe(200);
    expect(r.headers.etag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
    r = await http('HEAD', '/wire-bucket/meta');
    expect(r.headers['x-amz-meta-color']).toBe('blue');
    expect(r.headers['x-amz-meta-mixed-case']).toBe('v');
    expect(r.headers['content-type']).toBe('text/x-test');
    expect(r.headers['content-length']).toBe(String(body.length));
    expect(r.headers['last-modified']).toMatch(/GMT$/);
    r = await http('PUT', '/wire-bucket/meta', { 'content-md5': 'short' }, body);
    expect(r.text).toContain('<Code>InvalidDigest</Code>');
    r = await http('PUT', '/wire-bucket/meta', { 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') }, body);
    expect(r.status).toBe(400);
    expect(r.text).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
    r = await http('PUT', '/wire-bucket/meta', { 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') }, body);
    expect(r.status).toBe(200);
    // no checksum named: no checksum header back, but S3's default CRC64NVME on request
    expect(r.headers['x-amz-checksum-crc64nvme']).toBeUndefined();
    r = await http('HEAD', '/wire-bucket/meta', { 'x-amz-checksum-mode': 'ENABLED' });
    expect(r.headers['x-amz-checksum-crc64nvme']).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    expect(r.headers['x-amz-checksum-type']).toBe('FULL_OBJECT');
  });
});

describe('aws-chunked bodies', () => {
  const text = 'Hello, chunked world! '.repeat(50);
  const a = text.slice(0, 700), b = text.slice(700);

  async function readBack(key: string): Promise<string> {
    const r = await http('GET', `/wire-bucket/${key}`);
    expect(r.status).toBe(200);
    return r.text;
  }

  it('decodes STREAMING-AWS4-HMAC-SHA256-PAYLOAD (signed chunks, no trailer)', async () => {
    const wire = `${a.length.toString(16)};chunk-signature=${SIG}\r\n${a}\r\n${b.length.toString(16)};chunk-signature=${SIG}\r\n${b}\r\n0;chunk-signature=${SIG}\r\n\r\n`;
    const r = await http('PUT', '/wire-bucket/signed', {
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(text.length),
    }, [wire.slice(0, 5), wire.slice(5, 90), wire.slice(90)]);
    expect(r.status, r.text).toBe(200);
    expect(r.headers.etag).toBe(`"${createHash('md5').update(text).digest('hex')}"`);
    expect(await readBack('signed')).toBe(text);
    const head = await http('HEAD', '/wire-bucket/signed');
    expect(head.headers['content-encoding']).toBeUndefined(); // aws-chunked is not stored
  });

  it('decodes STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER and verifies the trailing CRC32', async () => {
    const wire = `${text.length.toString(16)};chunk-signature=${SIG}\r\n${text}\r\n0;chunk-signature=${SIG}\r\nx-amz-checksum-crc32:${b64crc32(text)}\r\nx-amz-trailer-signature:${SIG}\r\n\r\n`;
    const r = await http('PUT', '/wire-bucket/signed-trailer', {
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(text.length), 'x-amz-trailer': 'x-amz-checksum-crc32',
    }, wire);
    expect(r.status, r.text).toBe(200);
    expect(r.headers['x-amz-checksum-crc32']).toBe(b64crc32(text));
    const get = await http('GET', '/wire-bucket/signed-trailer', { 'x-amz-checksum-mode': 'ENABLED' });
    expect(get.headers['x-amz-checksum-crc32']).toBe(b64crc32(text));
    expect(get.headers['x-amz-checksum-type']).toBe('FULL_OBJECT');
  });

  const unsigned = (trailer: string, payload = text, decoded = payload.length) => ({
    headers: { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(decoded), 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-sdk-checksum-algorithm': 'CRC32' },
    wire: `${payload.length.toString(16)}\r\n${payload}\r\n0\r\n${trailer}\r\n`,
  });

  it('decodes STREAMING-UNSIGNED-PAYLOAD-TRAILER', async () => {
    const u = unsigned(`x-amz-checksum-crc32:${b64crc32(text)}\r\n`);
    const r = await http('PUT', '/wire-bucket/unsigned', u.headers, u.wire);
    expect(r.status, r.text).toBe(200);
    expect(await readBack('unsigned')).toBe(text);
  });

  it('answers BadDigest for a wrong trailer, InvalidRequest for a malformed one, MalformedTrailerError for none', async () => {
    let u = unsigned('x-amz-checksum-crc32:AAAAAA==\r\n');
    let r = await http('PUT', '/wire-bucket/bad-trailer', u.headers, u.wire);
    expect(r.status).toBe(400);
    expect(r.text).toContain('<Code>BadDigest</Code>');
    expect(r.text).toContain('The CRC32 you specified did not match the calculated checksum.');
    u = unsigned('x-amz-checksum-crc32:!!\r\n');
    r = await http('PUT', '/wire-bucket/bad-trailer', u.headers, u.wire);
    expect(r.text).toContain('<Code>InvalidRequest</Code>');
    expect(r.text).toContain('Value for x-amz-checksum-crc32 trailing header is invalid.');
    u = unsigned('');
    r = await http('PUT', '/wire-bucket/bad-trailer', u.headers, u.wire);
    expect(r.text).toContain('<Code>MalformedTrailerError</Code>');
    expect((await http('HEAD', '/wire-bucket/bad-trailer')).status).toBe(404);
  });

  it('answers IncompleteBody when the decoded length disagrees or the framing is cut short', async () => {
    let u = unsigned(`x-amz-checksum-crc32:${b64crc32(text)}\r\n`, text, text.length + 5);
    let r = await http('PUT', '/wire-bucket/short', u.headers, u.wire);
    expect(r.text).toContain('<Code>IncompleteBody</Code>');
    u = unsigned('');
    r = await http('PUT', '/wire-bucket/short', u.headers, u.wire.slice(0, 40));
    expect(r.status).toBe(400);
    expect(r.text).toContain('<Code>IncompleteBody</Code>');
  });
});

describe('other rest-xml services', () => {
  it('wrap errors in <ErrorResponse> with x-amzn-RequestId (Route 53)', async () => {
    const r = await http('GET', '/2013-04-01/hostedzone', { authorization: AUTH('us-east-1', 'route53') });
    expect(r.status).toBe(501);
    expect(r.headers['x-amzn-requestid']).toBeTruthy();
    expect(r.text).toMatch(/<ErrorResponse xmlns="https:\/\/route53\.amazonaws\.com\/doc\/2013-04-01\/"><Error><Type>Receiver<\/Type><Code>NotImplemented<\/Code>/);
    expect(r.text).toContain(`<RequestId>${r.headers['x-amzn-requestid']}</RequestId>`);
  });
});
