// covers: none here (raw wire requests, not a real client); the SQS suite covers these operations through SDK v3
/**
 * SQS answers the legacy query protocol as well as JSON: raw form-encoded requests
 * (Action/Version=2012-11-05), flattened `Attribute.N.Name/Value` maps, `MessageAttribute.N`
 * structures, the queue URL as the request path, and awsQueryError legacy codes
 * (QueueDoesNotExist → AWS.SimpleQueueService.NonExistentQueue).
 */
import { describe, test, expect } from 'vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { useGureum, raw } from '../helpers.js';

const ctx = useGureum();
const V = 'Version=2012-11-05';
const post = (body: string, path = '/') => raw(ctx.g, path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
const tags = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);

/** A SigV4-signed form POST, as botocore's query serializer sends it. */
async function signedPost(body: string, accessKeyId: string, region: string) {
  const url = new URL(ctx.g.endpoint);
  const signer = new SignatureV4({ service: 'sqs', region, credentials: { accessKeyId, secretAccessKey: 'x' }, sha256: Sha256 });
  const req = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  return raw(ctx.g, '/', { method: 'POST', headers: req.headers as Record<string, string>, body });
}

describe('SQS over awsQuery', () => {
  test('CreateQueue with flattened Attribute and Tag maps', async () => {
    const r = await post(`Action=CreateQueue&${V}&QueueName=orders&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=45&Attribute.2.Name=DelaySeconds&Attribute.2.Value=0&Tag.1.Key=team&Tag.1.Value=core`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/xml');
    expect(r.text).toContain('<CreateQueueResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><CreateQueueResult><QueueUrl>');
    expect(tag(r.text, 'QueueUrl')).toBe(`${ctx.g.endpoint}/000000000000/orders`);
    expect(tag(r.text, 'RequestId')).toBe(r.headers.get('x-amzn-requestid'));

    const attrs = await post(`Action=GetQueueAttributes&${V}&QueueUrl=${encodeURIComponent(`${ctx.g.endpoint}/000000000000/orders`)}&AttributeName.1=VisibilityTimeout&AttributeName.2=QueueArn`);
    expect(attrs.status).toBe(200);
    expect(attrs.text).toContain('<Attribute><Name>VisibilityTimeout</Name><Value>45</Value></Attribute>');
    expect(attrs.text).toContain('<Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:us-east-1:000000000000:orders</Value></Attribute>');
  });

  test('SendMessage with message attributes, ReceiveMessage by queue path', async () => {
    const url = tag((await post(`Action=CreateQueue&${V}&QueueName=events`)).text, 'QueueUrl')!;
    const sent = await post(
      `Action=SendMessage&${V}&QueueUrl=${encodeURIComponent(url)}&MessageBody=${encodeURIComponent('hello <world> & co')}` +
        '&MessageAttribute.1.Name=color&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=red' +
        '&MessageAttribute.2.Name=blob&MessageAttribute.2.Value.DataType=Binary&MessageAttribute.2.Value.BinaryValue=AQL%2F',
    );
    expect(sent.status).toBe(200);
    expect(tag(sent.text, 'MD5OfMessageBody')).toMatch(/^[0-9a-f]{32}$/);
    const messageId = tag(sent.text, 'MessageId');

    // The queue URL's path is the queue (the legacy endpoint form); no QueueUrl parameter.
    const got = await post(`Action=ReceiveMessage&${V}&AttributeName.1=All&MessageAttributeName.1=All&MaxNumberOfMessages=10`, new URL(url).pathname);
    expect(got.status).toBe(200);
    expect(got.text).toContain('<ReceiveMessageResult><Message>');
    expect(tag(got.text, 'MessageId')).toBe(messageId);
    expect(tag(got.text, 'Body')).toBe('hello &lt;world&gt; &amp; co');
    expect(got.text).toContain('<MessageAttribute><Name>color</Name><Value><DataType>String</DataType><StringValue>red</StringValue></Value></MessageAttribute>');
    expect(got.text).toContain('<MessageAttribute><Name>blob</Name><Value><BinaryValue>AQL/</BinaryValue><DataType>Binary</DataType></Value></MessageAttribute>');
    expect(tags(got.text, 'Name')).toContain('ApproximateReceiveCount');
    expect(tag(got.text, 'ReceiptHandle')).toBeTruthy();

    const empty = await post(`Action=ReceiveMessage&${V}&QueueUrl=${encodeURIComponent(url)}`);
    expect(empty.text).toContain('<ReceiveMessageResult></ReceiveMessageResult>');
  });

  test('signed requests land in the signing account', async () => {
    const r = await signedPost(`Action=CreateQueue&${V}&QueueName=signed`, '111122223333', 'eu-west-1');
    expect(r.status).toBe(200);
    expect(tag(r.text, 'QueueUrl')).toBe(`${ctx.g.endpoint}/111122223333/signed`);
    const arn = await signedPost(`Action=GetQueueAttributes&${V}&QueueUrl=${encodeURIComponent(tag(r.text, 'QueueUrl')!)}&AttributeName.1=QueueArn`, '111122223333', 'eu-west-1');
    expect(arn.text).toContain('<Value>arn:aws:sqs:eu-west-1:111122223333:signed</Value>');
  });

  test('QueueDoesNotExist is AWS.SimpleQueueService.NonExistentQueue', async () => {
    const r = await post(`Action=GetQueueUrl&${V}&QueueName=missing`);
    expect(r.status).toBe(400);
    expect(r.text).toContain(
      `<ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message></Error><RequestId>${r.headers.get('x-amzn-requestid')}</RequestId></ErrorResponse>`,
    );
  });

  test('query errors: MissingParameter and InvalidAction', async () => {
    const missing = await post(`Action=SendMessage&${V}&QueueUrl=${encodeURIComponent(`${ctx.g.endpoint}/000000000000/orders`)}`);
    expect(missing.status).toBe(400);
    expect(tag(missing.text, 'Code')).toBe('MissingParameter');
    expect(tag(missing.text, 'Message')).toBe('The request must contain the parameter MessageBody');
    const bad = await post(`Action=SendMessages&${V}`);
    expect(bad.status).toBe(400);
    expect(tag(bad.text, 'Code')).toBe('InvalidAction');
  });
});
