/** S3's errors, with AWS's codes, statuses, messages and extra `<Error>` fields. */
import { AwsError } from '../../../core/errors.js';

export const noSuchBucket = (bucket: string) =>
  new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { fields: { BucketName: bucket } });

export const noSuchKey = (key: string) =>
  new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { fields: { Key: key } });

export const accessDenied = () => new AwsError('AccessDenied', 'Access Denied', 403);

export const invalidBucketName = (bucket: string) =>
  new AwsError('InvalidBucketName', 'The specified bucket is not valid.', 400, { fields: { BucketName: bucket } });

export const bucketNotEmpty = (bucket: string) =>
  new AwsError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { fields: { BucketName: bucket } });

export const bucketAlreadyExists = (bucket: string) =>
  new AwsError('BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', 409, { fields: { BucketName: bucket } });

export const bucketAlreadyOwnedByYou = (bucket: string) =>
  new AwsError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { fields: { BucketName: bucket } });

export const invalidArgument = (message: string, name: string, value: string | undefined) =>
  new AwsError('InvalidArgument', message, 400, { fields: { ArgumentName: name, ArgumentValue: value ?? '' } });

export const invalidRequest = (message: string) => new AwsError('InvalidRequest', message, 400);

export const preconditionFailed = (condition: string) =>
  new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { fields: { Condition: condition } });

export const notModified = (headers: Record<string, string>) => new AwsError('NotModified', 'Not Modified', 304, { headers });

export const invalidRange = (range: string, size: number) =>
  new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, { fields: { RangeRequested: range, ActualObjectSize: size } });

export const badDigest = (algorithm: string) =>
  new AwsError('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`, 400);

export const keyTooLong = (size: number) =>
  new AwsError('KeyTooLongError', 'Your key is too long', 400, { fields: { Size: size, MaxSizeAllowed: 1024 } });
