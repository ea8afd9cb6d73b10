// covers: dynamodb.ExportTableToPointInTime dynamodb.DescribeExport dynamodb.ListExports dynamodb.ImportTable dynamodb.DescribeImport dynamodb.ListImports dynamodb.UpdateContinuousBackups s3.CreateBucket s3.GetObject s3.PutObject
/** Exports to S3 in AWS's layout and formats, and imports back from S3. */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  DynamoDBClient, CreateTableCommand, PutItemCommand, DeleteItemCommand, ScanCommand, DescribeTableCommand, UpdateContinuousBackupsCommand,
  ExportTableToPointInTimeCommand, DescribeExportCommand, ListExportsCommand, ImportTableCommand, DescribeImportCommand, ListImportsCommand,
} from '@aws-sdk/client-dynamodb';
import { S3Client, CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { clientConfig, failure, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true, config: { dynamodbTableDelayMs: 1000 } });
const ddb = () => new DynamoDBClient(clientConfig(ctx.g));
const s3 = () => new S3Client(clientConfig(ctx.g, { forcePathStyle: true }));
const object = async (Key: string) => Buffer.from(await (await s3().send(new GetObjectCommand({ Bucket: 'exports', Key }))).Body!.transformToByteArray());

describe('ExportTableToPointInTime', () => {
  it('writes the table as it was at ExportTime, in DynamoDB JSON and Ion, with manifests', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'exports' }));
    await ddb().send(new CreateTableCommand({ TableName: 'Src', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }));
    ctx.g.clock.advance('1s');
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/Src';
    expect((await failure(ddb().send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: 'exports' })))).name).toBe('PointInTimeRecoveryUnavailableException');
    await ddb().send(new UpdateContinuousBackupsCommand({ TableName: 'Src', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await ddb().send(new PutItemCommand({ TableName: 'Src', Item: { id: { S: 'a' }, n: { N: '1.5' }, b: { B: Uint8Array.of(1, 2) }, ss: { SS: ['x'] } } }));
    ctx.g.clock.advance('1m');
    const t1 = ctx.g.clock.now();
    ctx.g.clock.advance('1m');
    await ddb().send(new PutItemCommand({ TableName: 'Src', Item: { id: { S: 'b' } } }));

    const r = await ddb().send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: 'exports', S3Prefix: 'snap', ExportTime: t1, ClientToken: 'once' }));
    const e = r.ExportDescription!;
    expect(e).toMatchObject({ ExportStatus: 'IN_PROGRESS', ExportFormat: 'DYNAMODB_JSON', ExportType: 'FULL_EXPORT', S3Bucket: 'exports', S3Prefix: 'snap', TableArn: arn });
    expect(e.ExportArn).toMatch(/^arn:aws:dynamodb:us-east-1:000000000000:table\/Src\/export\/\d{14}-[0-9a-f]{8}$/);
    expect((await ddb().send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: 'exports', S3Prefix: 'snap', ExportTime: t1, ClientToken: 'once' }))).ExportDescription?.ExportArn).toBe(e.ExportArn);
    ctx.g.clock.advance('1s');
    const done = (await ddb().send(new DescribeExportCommand({ ExportArn: e.ExportArn }))).ExportDescription!;
    expect(done).toMatchObject({ ExportStatus: 'COMPLETED', ItemCount: 1 });
    const id = e.ExportArn!.split('/').pop();
    expect(done.ExportManifest).toBe(`snap/AWSDynamoDB/${id}/manifest-summary.json`);
    const summary = JSON.parse((await object(done.ExportManifest!)).toString());
    expect(summary).toMatchObject({ exportArn: e.ExportArn, itemCount: 1, outputFormat: 'DYNAMODB_JSON', s3Bucket: 'exports' });
    const files = (await object(summary.manifestFilesS3Key)).toString().trim().split('\n').map((l) => JSON.parse(l));
    expect(files).toHaveLength(1);
    const data = gunzipSync(await object(files[0].dataFileS3Key)).toString().trim().split('\n').map((l) => JSON.parse(l));
    expect(data).toEqual([{ Item: { id: { S: 'a' }, n: { N: '1.5' }, b: { B: 'AQI=' }, ss: { SS: ['x'] } } }]);

    const ion = await ddb().send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: 'exports', ExportFormat: 'ION' }));
    ctx.g.clock.advance('1s');
    const ionDone = (await ddb().send(new DescribeExportCommand({ ExportArn: ion.ExportDescription!.ExportArn }))).ExportDescription!;
    const ionFiles = (await object(JSON.parse((await object(ionDone.ExportManifest!)).toString()).manifestFilesS3Key)).toString().trim().split('\n').map((l) => JSON.parse(l));
    const ionText = gunzipSync(await object(ionFiles[0].dataFileS3Key)).toString().trim().split('\n').sort();
    expect(ionText).toEqual(['$ion_1_0 {Item:{id:"a",n:1.5,b:{{AQI=}},ss:$dynamodb_SS::["x"]}}', '$ion_1_0 {Item:{id:"b"}}']);

    const list = await ddb().send(new ListExportsCommand({ TableArn: arn }));
    expect(list.ExportSummaries?.map((s) => s.ExportStatus)).toEqual(['COMPLETED', 'COMPLETED']);
  });

  it('an incremental export writes the changed items with new and old images; a missing bucket fails the export', async () => {
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/Src';
    const from = ctx.g.clock.now();
    ctx.g.clock.advance('1m');
    await ddb().send(new PutItemCommand({ TableName: 'Src', Item: { id: { S: 'a' }, n: { N: '2' } } }));
    await ddb().send(new DeleteItemCommand({ TableName: 'Src', Key: { id: { S: 'b' } } }));
    ctx.g.clock.advance('20m');
    const r = await ddb().send(new ExportTableToPointInTimeCommand({
      TableArn: arn, S3Bucket: 'exports', ExportType: 'INCREMENTAL_EXPORT',
      IncrementalExportSpecification: { ExportFromTime: from, ExportToTime: ctx.g.clock.now(), ExportViewType: 'NEW_AND_OLD_IMAGES' },
    }));
    ctx.g.clock.advance('1s');
    const d = (await ddb().send(new DescribeExportCommand({ ExportArn: r.ExportDescription!.ExportArn }))).ExportDescription!;
    expect(d).toMatchObject({ ExportStatus: 'COMPLETED', ExportType: 'INCREMENTAL_EXPORT', ItemCount: 2 });
    const files = (await object(JSON.parse((await object(d.ExportManifest!)).toString()).manifestFilesS3Key)).toString().trim().split('\n').map((l) => JSON.parse(l));
    const lines = gunzipSync(await object(files[0].dataFileS3Key)).toString().trim().split('\n').map((l) => JSON.parse(l));
    const byKey = Object.fromEntries(lines.map((l) => [l.Keys.id.S, l]));
    expect(byKey.a.NewImage).toEqual({ id: { S: 'a' }, n: { N: '2' } });
    expect(byKey.a.OldImage.n).toEqual({ N: '1.5' });
    expect(byKey.b.NewImage).toBeUndefined();
    expect(byKey.b.OldImage).toEqual({ id: { S: 'b' } });

    const bad = await ddb().send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: 'no-such-bucket' }));
    expect((await ddb().send(new DescribeExportCommand({ ExportArn: bad.ExportDescription!.ExportArn }))).ExportDescription).toMatchObject({ ExportStatus: 'FAILED', FailureCode: 'S3NoSuchBucket' });
  });
});

describe('ImportTable', () => {
  it('creates the table and loads DynamoDB JSON (gzip) and CSV files', async () => {
    await s3().send(new PutObjectCommand({ Bucket: 'exports', Key: 'in/json/part1.json.gz', Body: gzipSync('{"Item":{"pk":{"S":"j1"},"v":{"N":"1"}}}\n{"Item":{"pk":{"S":"j2"},"b":{"B":"AQI="}}}\nnot json\n') }));
    const r = await ddb().send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: 'in/json/' }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP',
      TableCreationParameters: { TableName: 'Imported', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] },
    }));
    expect(r.ImportTableDescription).toMatchObject({ ImportStatus: 'IN_PROGRESS', TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Imported', InputFormat: 'DYNAMODB_JSON' });
    expect((await ddb().send(new DescribeTableCommand({ TableName: 'Imported' }))).Table?.TableStatus).toBe('CREATING');
    ctx.g.clock.advance('1s');
    const d = (await ddb().send(new DescribeImportCommand({ ImportArn: r.ImportTableDescription!.ImportArn }))).ImportTableDescription!;
    expect(d).toMatchObject({ ImportStatus: 'COMPLETED', ImportedItemCount: 2, ProcessedItemCount: 2, ErrorCount: 1 });
    const items = (await ddb().send(new ScanCommand({ TableName: 'Imported' }))).Items ?? [];
    expect(items.map((i) => i.pk!.S).sort()).toEqual(['j1', 'j2']);

    await s3().send(new PutObjectCommand({ Bucket: 'exports', Key: 'in/csv/data.csv', Body: 'id;name;note\n1;Ann;"says ""hi""; twice"\n2;Bob;\n' }));
    const c = await ddb().send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: 'in/csv/' }, InputFormat: 'CSV', InputFormatOptions: { Csv: { Delimiter: ';' } },
      TableCreationParameters: { TableName: 'FromCsv', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }] },
    }));
    const rows = (await ddb().send(new ScanCommand({ TableName: 'FromCsv' }))).Items ?? [];
    expect(rows.sort((a, b) => Number(a.id!.N) - Number(b.id!.N))).toEqual([{ id: { N: '1' }, name: { S: 'Ann' }, note: { S: 'says "hi"; twice' } }, { id: { N: '2' }, name: { S: 'Bob' } }]);
    const list = await ddb().send(new ListImportsCommand({}));
    expect(list.ImportSummaryList?.map((i) => i.ImportArn)).toEqual([r.ImportTableDescription!.ImportArn, c.ImportTableDescription!.ImportArn]);
    expect((await failure(ddb().send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'exports' }, InputFormat: 'CSV', TableCreationParameters: { TableName: 'FromCsv', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }] } })))).name)
      .toBe('ResourceInUseException');
  });

  it('reads Ion text as exports write it', async () => {
    const ion = '$ion_1_0 {Item:{id:"i1",n:5.,d:1.5d1,f:true,z:null,b:{{AQI=}},s:$dynamodb_SS::["a","b"],l:[1,"x",{k:null.string}]}}\n$ion_1_0 {Item:{id:"i2"}}\n{Nope:{}}\n';
    await s3().send(new PutObjectCommand({ Bucket: 'exports', Key: 'in/ion/data.ion.gz', Body: gzipSync(ion) }));
    const r = await ddb().send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: 'in/ion/' }, InputFormat: 'ION', InputCompressionType: 'GZIP',
      TableCreationParameters: { TableName: 'FromIon', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] },
    }));
    ctx.g.clock.advance('1s');
    expect((await ddb().send(new DescribeImportCommand({ ImportArn: r.ImportTableDescription!.ImportArn }))).ImportTableDescription).toMatchObject({ ImportStatus: 'COMPLETED', ImportedItemCount: 2, ErrorCount: 1 });
    const items = ((await ddb().send(new ScanCommand({ TableName: 'FromIon' }))).Items ?? []).sort((a, b) => (a.id!.S! < b.id!.S! ? -1 : 1));
    expect(items).toEqual([
      { id: { S: 'i1' }, n: { N: '5' }, d: { N: '15' }, f: { BOOL: true }, z: { NULL: true }, b: { B: Uint8Array.of(1, 2) }, s: { SS: ['a', 'b'] }, l: { L: [{ N: '1' }, { S: 'x' }, { M: { k: { NULL: true } } }] } },
      { id: { S: 'i2' } },
    ]);
  });
});
