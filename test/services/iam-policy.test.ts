// covers: iam.SimulateCustomPolicy iam.SimulatePrincipalPolicy iam.GetContextKeysForCustomPolicy iam.GetContextKeysForPrincipalPolicy
/**
 * The policy engine through IAM's simulator: every condition operator family, NotAction /
 * NotResource, wildcards, policy variables, boundaries, explicit deny, resource policies in
 * one account and across accounts, SCPs, set qualifiers on empty sets, IfExists; the AWS CLI
 * and boto3 for one case each; and `authorize` (iam/internal) for the gateway.
 */
import { describe, test, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  IAMClient, SimulateCustomPolicyCommand, SimulatePrincipalPolicyCommand, GetContextKeysForCustomPolicyCommand, GetContextKeysForPrincipalPolicyCommand,
  CreateUserCommand, PutUserPolicyCommand, CreateGroupCommand, PutGroupPolicyCommand, AddUserToGroupCommand, CreatePolicyCommand, AttachUserPolicyCommand,
  PutUserPermissionsBoundaryCommand, CreateRoleCommand, PutRolePolicyCommand, CreateAccessKeyCommand, TagUserCommand,
  type ContextEntry, type ContextKeyTypeEnum, type EvaluationResult, type SimulateCustomPolicyCommandInput,
} from '@aws-sdk/client-iam';
import { useGureum, clientConfig, failure, awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3 } from '../helpers.js';
import { authorize } from '../../src/services/iam/internal.js';

const ctx = useGureum({ freezeClock: true });
const iam = () => new IAMClient(clientConfig(ctx.g));
const ACCOUNT = '000000000000';

type Doc = Record<string, unknown>;
const policy = (...Statement: Doc[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const allow = (Action: string | string[], Resource: string | string[] = '*', extra: Doc = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
const deny = (Action: string | string[], Resource: string | string[] = '*', extra: Doc = {}) => ({ Effect: 'Deny', Action, Resource, ...extra });
const entry = (name: string, values: string | string[], type: ContextKeyTypeEnum = 'string'): ContextEntry => ({ ContextKeyName: name, ContextKeyValues: Array.isArray(values) ? values : [values], ContextKeyType: type });

async function custom(input: Partial<SimulateCustomPolicyCommandInput> & { PolicyInputList: string[]; ActionNames: string[] }) {
  const r = await iam().send(new SimulateCustomPolicyCommand(input));
  return r.EvaluationResults ?? [];
}
/** The decision for one action (and resource) under one policy and context. */
async function decide(doc: string, action: string, context: ContextEntry[] = [], resource?: string): Promise<string> {
  const [r] = await custom({ PolicyInputList: [doc], ActionNames: [action], ContextEntries: context, ResourceArns: resource ? [resource] : undefined });
  return r!.EvalDecision!;
}

describe('SimulateCustomPolicy: the decision and its explanation', () => {
  const DOC = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';

  test("AWS's own example: allowed, with the statement's position as AWS reports it", async () => {
    const [r] = await custom({ PolicyInputList: [DOC], ActionNames: ['dynamodb:CreateBackup'], ContextEntries: [entry('aws:CurrentTime', '2019-04-25T11:00:00Z', 'date')] });
    expect(r).toEqual({
      EvalActionName: 'dynamodb:CreateBackup',
      EvalResourceName: '*',
      EvalDecision: 'allowed',
      MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 } }],
      MissingContextValues: [],
    });
  });

  test('a date before the condition → implicitDeny, no statements; without the key it is named missing', async () => {
    const [early] = await custom({ PolicyInputList: [DOC], ActionNames: ['dynamodb:CreateBackup'], ContextEntries: [entry('aws:CurrentTime', '2014-04-25T11:00:00Z', 'date')] });
    expect(early).toMatchObject({ EvalDecision: 'implicitDeny', MatchedStatements: [], MissingContextValues: [] });
    const [none] = await custom({ PolicyInputList: [DOC], ActionNames: ['dynamodb:CreateBackup'] });
    expect(none).toMatchObject({ EvalDecision: 'implicitDeny', MissingContextValues: ['aws:CurrentTime'] });
  });

  test('explicit deny wins and is the only statement reported; positions in a pretty-printed document', async () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [allow('s3:*'), deny('s3:DeleteObject')] }, null, 2);
    // line 4 `    {` … line 8 `    },` / line 9 `    {` … line 13 `    }`
    const [r, ok] = await custom({ PolicyInputList: [doc], ActionNames: ['s3:DeleteObject', 's3:GetObject'] });
    expect(r).toMatchObject({ EvalDecision: 'explicitDeny', MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', StartPosition: { Line: 9, Column: 6 }, EndPosition: { Line: 13, Column: 6 } }] });
    expect(ok).toMatchObject({ EvalDecision: 'allowed', MatchedStatements: [{ StartPosition: { Line: 4, Column: 6 }, EndPosition: { Line: 8, Column: 6 } }] });
  });

  test('every policy in the list is evaluated; an Allow in one, a Deny in another → explicitDeny from the second', async () => {
    const [r] = await custom({ PolicyInputList: [policy(allow('sqs:*')), policy(deny('sqs:DeleteQueue'))], ActionNames: ['sqs:DeleteQueue'] });
    expect(r!.EvalDecision).toBe('explicitDeny');
    expect(r!.MatchedStatements!.map((s) => s.SourcePolicyId)).toEqual(['PolicyInputList.2']);
  });

  test('NotAction and NotResource', async () => {
    const notIam = policy(allow([], '*', { Action: undefined, NotAction: 'iam:*' }));
    expect(await decide(notIam, 's3:GetObject')).toBe('allowed');
    expect(await decide(notIam, 'iam:CreateUser')).toBe('implicitDeny');
    const fence = policy(allow('s3:*'), { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::safe', 'arn:aws:s3:::safe/*'] });
    expect(await decide(fence, 's3:GetObject', [], 'arn:aws:s3:::safe/key')).toBe('allowed');
    expect(await decide(fence, 's3:GetObject', [], 'arn:aws:s3:::other/key')).toBe('explicitDeny');
  });

  test('wildcards: actions case-insensitive with * and ?, resources case-sensitive; a specific resource does not match "*"', async () => {
    expect(await decide(policy(allow('S3:get*')), 's3:GetObject')).toBe('allowed');
    expect(await decide(policy(allow('s3:Get?bject')), 's3:GetObject')).toBe('allowed');
    expect(await decide(policy(allow('s3:Get?bject')), 's3:GetObjectAcl')).toBe('implicitDeny');
    expect(await decide(policy(allow('s3:*', 'arn:aws:s3:::Bucket/*')), 's3:GetObject', [], 'arn:aws:s3:::bucket/x')).toBe('implicitDeny');
    expect(await decide(policy(allow('s3:*', 'arn:aws:s3:::b?cket/*')), 's3:GetObject', [], 'arn:aws:s3:::bucket/a/b')).toBe('allowed');
    expect(await decide(policy(allow('s3:*', 'arn:aws:s3:::bucket/*')), 's3:GetObject')).toBe('implicitDeny');
  });

  test('results per action × resource, each with its ResourceSpecificResults; paging with MaxItems/Marker', async () => {
    const doc = policy(allow('s3:GetObject', 'arn:aws:s3:::a/*'));
    const r = await iam().send(new SimulateCustomPolicyCommand({ PolicyInputList: [doc], ActionNames: ['s3:GetObject', 's3:PutObject'], ResourceArns: ['arn:aws:s3:::a/1', 'arn:aws:s3:::b/1'], MaxItems: 3 }));
    expect(r.IsTruncated).toBe(true);
    expect(r.EvaluationResults!.map((e) => [e.EvalActionName, e.EvalResourceName, e.EvalDecision])).toEqual([
      ['s3:GetObject', 'arn:aws:s3:::a/1', 'allowed'],
      ['s3:GetObject', 'arn:aws:s3:::b/1', 'implicitDeny'],
      ['s3:PutObject', 'arn:aws:s3:::a/1', 'implicitDeny'],
    ]);
    expect(r.EvaluationResults![0]!.ResourceSpecificResults).toEqual([
      { EvalResourceName: 'arn:aws:s3:::a/1', EvalResourceDecision: 'allowed', MatchedStatements: r.EvaluationResults![0]!.MatchedStatements, MissingContextValues: [], EvalDecisionDetails: {} },
    ]);
    const next = await iam().send(new SimulateCustomPolicyCommand({ PolicyInputList: [doc], ActionNames: ['s3:GetObject', 's3:PutObject'], ResourceArns: ['arn:aws:s3:::a/1', 'arn:aws:s3:::b/1'], MaxItems: 3, Marker: r.Marker }));
    expect(next.IsTruncated).toBe(false);
    expect(next.EvaluationResults!.map((e) => [e.EvalActionName, e.EvalResourceName])).toEqual([['s3:PutObject', 'arn:aws:s3:::b/1']]);
  });
});

describe('policy variables', () => {
  const home = policy(allow('s3:*', 'arn:aws:s3:::home/${aws:username}/*'));
  test('${aws:username} in Resource; missing → named in the resource result', async () => {
    expect(await decide(home, 's3:GetObject', [entry('aws:username', 'alice')], 'arn:aws:s3:::home/alice/notes')).toBe('allowed');
    expect(await decide(home, 's3:GetObject', [entry('aws:username', 'alice')], 'arn:aws:s3:::home/bob/notes')).toBe('implicitDeny');
    const [r] = await custom({ PolicyInputList: [home], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::home/alice/notes'] });
    expect(r).toMatchObject({ EvalDecision: 'implicitDeny', MissingContextValues: [], ResourceSpecificResults: [{ MissingContextValues: ['aws:username'] }] });
  });
  test("defaults ${aws:x, 'default'}, escapes ${*} ${?} ${$}, principal tags in condition values, none in 2008-10-17 documents", async () => {
    const dflt = policy(allow('s3:*', "arn:aws:s3:::home/${aws:username, 'anonymous'}/*"));
    expect(await decide(dflt, 's3:GetObject', [], 'arn:aws:s3:::home/anonymous/x')).toBe('allowed');
    const star = policy(allow('s3:*', 'arn:aws:s3:::b/${*}'));
    expect(await decide(star, 's3:GetObject', [], 'arn:aws:s3:::b/*')).toBe('allowed');
    expect(await decide(star, 's3:GetObject', [], 'arn:aws:s3:::b/x')).toBe('implicitDeny');
    const q = policy(allow('s3:*', 'arn:aws:s3:::b/${?}${$}'));
    expect(await decide(q, 's3:GetObject', [], 'arn:aws:s3:::b/?$')).toBe('allowed');
    expect(await decide(q, 's3:GetObject', [], 'arn:aws:s3:::b/x$')).toBe('implicitDeny');
    const team = policy(allow('ec2:StartInstances', '*', { Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } }));
    expect(await decide(team, 'ec2:StartInstances', [entry('aws:ResourceTag/team', 'red'), entry('aws:PrincipalTag/team', 'red')])).toBe('allowed');
    expect(await decide(team, 'ec2:StartInstances', [entry('aws:ResourceTag/team', 'red'), entry('aws:PrincipalTag/team', 'blue')])).toBe('implicitDeny');
    const old = JSON.stringify({ Version: '2008-10-17', Statement: [allow('s3:*', 'arn:aws:s3:::home/${aws:username}/*')] });
    expect(await decide(old, 's3:GetObject', [entry('aws:username', 'alice')], 'arn:aws:s3:::home/alice/x')).toBe('implicitDeny');
    expect(await decide(old, 's3:GetObject', [entry('aws:username', 'alice')], 'arn:aws:s3:::home/${aws:username}/x')).toBe('allowed');
  });
});

describe('condition operators', () => {
  const cond = (Condition: Doc) => policy(allow('svc:Act', '*', { Condition }));
  const cases: [string, Doc, ContextEntry[], string][] = [
    // String*
    ['StringEquals', { StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } }, [entry('aws:RequestedRegion', 'us-east-1')], 'allowed'],
    ['StringEquals is case-sensitive', { StringEquals: { 'aws:RequestedRegion': 'US-EAST-1' } }, [entry('aws:RequestedRegion', 'us-east-1')], 'implicitDeny'],
    ['StringNotEquals', { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } }, [entry('aws:RequestedRegion', 'us-east-1')], 'implicitDeny'],
    ['StringNotEquals, key absent → true', { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } }, [], 'allowed'],
    ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { 'aws:RequestedRegion': 'US-EAST-1' } }, [entry('aws:RequestedRegion', 'us-east-1')], 'allowed'],
    ['StringNotEqualsIgnoreCase', { StringNotEqualsIgnoreCase: { 'aws:RequestedRegion': 'US-EAST-1' } }, [entry('aws:RequestedRegion', 'us-east-1')], 'implicitDeny'],
    ['StringLike', { StringLike: { 's3:prefix': ['home/*', 'tmp/?'] } }, [entry('s3:prefix', 'tmp/a')], 'allowed'],
    ['StringNotLike', { StringNotLike: { 's3:prefix': 'home/*' } }, [entry('s3:prefix', 'home/x')], 'implicitDeny'],
    // Numeric*
    ['NumericLessThan', { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, [entry('aws:MultiFactorAuthAge', '100', 'numeric')], 'allowed'],
    ['NumericLessThan (too old)', { NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 } }, [entry('aws:MultiFactorAuthAge', '7200', 'numeric')], 'implicitDeny'],
    ['NumericEquals', { NumericEquals: { 's3:max-keys': '10' } }, [entry('s3:max-keys', '10.0', 'numeric')], 'allowed'],
    ['NumericNotEquals', { NumericNotEquals: { 's3:max-keys': '10' } }, [entry('s3:max-keys', '10', 'numeric')], 'implicitDeny'],
    ['NumericLessThanEquals', { NumericLessThanEquals: { 's3:max-keys': '10' } }, [entry('s3:max-keys', '10', 'numeric')], 'allowed'],
    ['NumericGreaterThan', { NumericGreaterThan: { 's3:max-keys': '10' } }, [entry('s3:max-keys', '10', 'numeric')], 'implicitDeny'],
    ['NumericGreaterThanEquals', { NumericGreaterThanEquals: { 's3:max-keys': '10' } }, [entry('s3:max-keys', '11', 'numeric')], 'allowed'],
    ['Numeric with a non-number → no match', { NumericEquals: { 's3:max-keys': '10' } }, [entry('s3:max-keys', 'ten', 'numeric')], 'implicitDeny'],
    // Date*
    ['DateLessThan', { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }, [entry('aws:CurrentTime', '2029-12-31T23:59:59Z', 'date')], 'allowed'],
    ['DateEquals with epoch seconds', { DateEquals: { 'aws:EpochTime': '2020-01-01T00:00:00Z' } }, [entry('aws:EpochTime', '1577836800', 'date')], 'allowed'],
    ['DateNotEquals', { DateNotEquals: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, [entry('aws:CurrentTime', '2020-01-01T00:00:00Z', 'date')], 'implicitDeny'],
    ['DateGreaterThanEquals', { DateGreaterThanEquals: { 'aws:CurrentTime': '2020-01-01' } }, [entry('aws:CurrentTime', '2020-01-01T00:00:00Z', 'date')], 'allowed'],
    ['DateLessThanEquals', { DateLessThanEquals: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, [entry('aws:CurrentTime', '2020-01-01T00:00:01Z', 'date')], 'implicitDeny'],
    // Bool, Binary
    ['Bool', { Bool: { 'aws:SecureTransport': 'true' } }, [entry('aws:SecureTransport', 'true', 'boolean')], 'allowed'],
    ['Bool false', { Bool: { 'aws:SecureTransport': true } }, [entry('aws:SecureTransport', 'false', 'boolean')], 'implicitDeny'],
    ['BinaryEquals', { BinaryEquals: { 'svc:blob': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }, [entry('svc:blob', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'binary')], 'allowed'],
    ['BinaryEquals differs', { BinaryEquals: { 'svc:blob': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }, [entry('svc:blob', 'b3RoZXI=', 'binary')], 'implicitDeny'],
    // IpAddress
    ['IpAddress v4 CIDR', { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '10.0.0.1'] } }, [entry('aws:SourceIp', '203.0.113.77', 'ip')], 'allowed'],
    ['IpAddress v4 single address', { IpAddress: { 'aws:SourceIp': '10.0.0.1' } }, [entry('aws:SourceIp', '10.0.0.1', 'ip')], 'allowed'],
    ['IpAddress outside', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, [entry('aws:SourceIp', '198.51.100.1', 'ip')], 'implicitDeny'],
    ['IpAddress v6', { IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } }, [entry('aws:SourceIp', '2001:db8:1234:5678:abcd::1', 'ip')], 'allowed'],
    ['IpAddress v6 outside', { IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } }, [entry('aws:SourceIp', '2001:db8:1234:5679::1', 'ip')], 'implicitDeny'],
    ['NotIpAddress', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, [entry('aws:SourceIp', '203.0.113.9', 'ip')], 'implicitDeny'],
    ['NotIpAddress outside → true', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, [entry('aws:SourceIp', '192.0.2.1', 'ip')], 'allowed'],
    // Arn*
    ['ArnLike', { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:topic-*' } }, [entry('aws:SourceArn', 'arn:aws:sns:eu-west-1:123456789012:topic-a')], 'allowed'],
    ['ArnLike: * stays inside its part', { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:topic' } }, [entry('aws:SourceArn', 'arn:aws:sns:eu-west-1:999:123456789012:topic')], 'implicitDeny'],
    ['ArnEquals', { ArnEquals: { 'aws:SourceArn': 'arn:aws:sqs:us-east-1:123456789012:q' } }, [entry('aws:SourceArn', 'arn:aws:sqs:us-east-1:123456789012:q')], 'allowed'],
    ['ArnNotEquals', { ArnNotEquals: { 'aws:SourceArn': 'arn:aws:sqs:us-east-1:123456789012:q' } }, [entry('aws:SourceArn', 'arn:aws:sqs:us-east-1:123456789012:q')], 'implicitDeny'],
    ['ArnNotLike', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/admin-*' } }, [entry('aws:PrincipalArn', 'arn:aws:iam::123456789012:role/dev')], 'allowed'],
    // Null
    ['Null true, key absent', { Null: { 'aws:TokenIssueTime': 'true' } }, [], 'allowed'],
    ['Null true, key present', { Null: { 'aws:TokenIssueTime': 'true' } }, [entry('aws:TokenIssueTime', '2020-01-01T00:00:00Z', 'date')], 'implicitDeny'],
    ['Null false, key present', { Null: { 'aws:TokenIssueTime': 'false' } }, [entry('aws:TokenIssueTime', '2020-01-01T00:00:00Z', 'date')], 'allowed'],
    // IfExists
    ['StringEqualsIfExists, key absent', { StringEqualsIfExists: { 'ec2:InstanceType': 't2.micro' } }, [], 'allowed'],
    ['StringEqualsIfExists, matching', { StringEqualsIfExists: { 'ec2:InstanceType': 't2.micro' } }, [entry('ec2:InstanceType', 't2.micro')], 'allowed'],
    ['StringEqualsIfExists, other', { StringEqualsIfExists: { 'ec2:InstanceType': 't2.micro' } }, [entry('ec2:InstanceType', 'm5.large')], 'implicitDeny'],
    ['NumericLessThanIfExists absent', { NumericLessThanIfExists: { 'aws:MultiFactorAuthAge': '3600' } }, [], 'allowed'],
    // ForAllValues / ForAnyValue
    ['ForAllValues: subset', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }, [entry('aws:TagKeys', ['env'], 'stringList')], 'allowed'],
    ['ForAllValues: one outside', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }, [entry('aws:TagKeys', ['env', 'cost'], 'stringList')], 'implicitDeny'],
    ['ForAllValues: key absent (empty set) → true', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, [], 'allowed'],
    ['ForAllValues: empty list → true', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, [entry('aws:TagKeys', [], 'stringList')], 'allowed'],
    ['ForAllValues:StringNotEquals', { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret'] } }, [entry('aws:TagKeys', ['env', 'secret'], 'stringList')], 'implicitDeny'],
    ['ForAnyValue: one inside', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } }, [entry('aws:TagKeys', ['cost', 'env'], 'stringList')], 'allowed'],
    ['ForAnyValue: none inside', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } }, [entry('aws:TagKeys', ['cost'], 'stringList')], 'implicitDeny'],
    ['ForAnyValue: key absent (empty set) → false', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } }, [], 'implicitDeny'],
    ['ForAnyValue:StringLike', { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'team-*' } }, [entry('aws:TagKeys', ['env', 'team-a'], 'stringList')], 'allowed'],
    ['ForAnyValue:StringNotEquals', { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['env'] } }, [entry('aws:TagKeys', ['env'], 'stringList')], 'implicitDeny'],
    ['ForAllValues:StringEqualsIfExists absent', { 'ForAllValues:StringEqualsIfExists': { 'aws:TagKeys': ['env'] } }, [], 'allowed'],
    // AND across keys and operators, OR across values
    ['AND across operators', { StringEquals: { 'aws:RequestedRegion': 'us-east-1' }, Bool: { 'aws:SecureTransport': 'true' } }, [entry('aws:RequestedRegion', 'us-east-1'), entry('aws:SecureTransport', 'false', 'boolean')], 'implicitDeny'],
    ['AND across keys', { StringEquals: { 'aws:RequestedRegion': 'us-east-1', 'aws:PrincipalAccount': '123456789012' } }, [entry('aws:RequestedRegion', 'us-east-1'), entry('aws:PrincipalAccount', '123456789012')], 'allowed'],
    ['keys compare case-insensitively', { StringEquals: { 'AWS:requestedregion': 'us-east-1' } }, [entry('aws:RequestedRegion', 'us-east-1')], 'allowed'],
  ];
  test.each(cases)('%s', async (_name, condition, context, expected) => {
    expect(await decide(cond(condition), 'svc:Act', context)).toBe(expected);
  });
});

describe('boundaries, resource policies, SCPs', () => {
  test('permissions boundary: the intersection, with PermissionsBoundaryDecisionDetail', async () => {
    const r = await custom({ PolicyInputList: [policy(allow(['s3:*', 'iam:*']))], PermissionsBoundaryPolicyInputList: [policy(allow('s3:*'))], ActionNames: ['s3:GetObject', 'iam:CreateUser', 'sqs:SendMessage'] });
    expect(r.map((e) => [e.EvalDecision, e.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary])).toEqual([
      ['allowed', true],
      ['implicitDeny', false],
      ['implicitDeny', false],
    ]);
    const [d] = await custom({ PolicyInputList: [policy(allow('s3:*'))], PermissionsBoundaryPolicyInputList: [policy(allow('s3:*'), deny('s3:DeleteBucket'))], ActionNames: ['s3:DeleteBucket'] });
    expect(d).toMatchObject({ EvalDecision: 'explicitDeny', MatchedStatements: [{ SourcePolicyId: 'PermissionsBoundaryPolicyInputList.1' }] });
  });

  const USER = `arn:aws:iam::${ACCOUNT}:user/alice`;
  const bucketPolicy = (Principal: unknown, Effect = 'Allow') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Bucket', Effect, Principal, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' }] });

  test('resource policy in the same account: naming the user suffices; the account root only delegates', async () => {
    const nothing = policy(allow('sqs:*'));
    const [r] = await custom({ PolicyInputList: [nothing], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::shared/k'], ResourcePolicy: bucketPolicy({ AWS: USER }), CallerArn: USER });
    expect(r).toMatchObject({ EvalDecision: 'allowed', MatchedStatements: [{ SourcePolicyId: 'ResourcePolicy', SourcePolicyType: 'resource' }] });
    const [root] = await custom({ PolicyInputList: [nothing], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::shared/k'], ResourcePolicy: bucketPolicy({ AWS: `arn:aws:iam::${ACCOUNT}:root` }), CallerArn: USER });
    expect(root!.EvalDecision).toBe('implicitDeny');
    const [other] = await custom({ PolicyInputList: [nothing], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::shared/k'], ResourcePolicy: bucketPolicy({ AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }), CallerArn: USER });
    expect(other!.EvalDecision).toBe('implicitDeny');
    const [denied] = await custom({ PolicyInputList: [policy(allow('s3:*'))], ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::shared/k'], ResourcePolicy: bucketPolicy('*', 'Deny'), CallerArn: USER });
    expect(denied).toMatchObject({ EvalDecision: 'explicitDeny', MatchedStatements: [{ SourcePolicyId: 'ResourcePolicy' }] });
  });

  test('cross-account: both the identity policy and the resource policy must allow; EvalDecisionDetails says which', async () => {
    const caller = 'arn:aws:iam::111111111111:user/carol';
    const rp = bucketPolicy({ AWS: '111111111111' });
    const base = { ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::shared/k'], ResourceOwner: 'arn:aws:iam::222222222222:root', CallerArn: caller };
    const [onlyResource] = await custom({ ...base, PolicyInputList: [policy(allow('sqs:*'))], ResourcePolicy: rp });
    expect(onlyResource).toMatchObject({ EvalDecision: 'implicitDeny', EvalDecisionDetails: { 'IAM Policy': 'implicitDeny', 'Resource Policy': 'allowed' } });
    const [onlyIdentity] = await custom({ ...base, PolicyInputList: [policy(allow('s3:*'))], ResourcePolicy: bucketPolicy({ AWS: '333333333333' }) });
    expect(onlyIdentity).toMatchObject({ EvalDecision: 'implicitDeny', EvalDecisionDetails: { 'IAM Policy': 'allowed', 'Resource Policy': 'implicitDeny' } });
    const [both] = await custom({ ...base, PolicyInputList: [policy(allow('s3:*'))], ResourcePolicy: rp });
    expect(both).toMatchObject({ EvalDecision: 'allowed', EvalDecisionDetails: { 'IAM Policy': 'allowed', 'Resource Policy': 'allowed' } });
    expect(both!.MatchedStatements!.map((s) => s.SourcePolicyType)).toEqual(['IAM Policy', 'resource']);
  });

  test('SCPs (OrderedOrganizationPolicyInputList): every level must allow; OrganizationsDecisionDetail', async () => {
    const scps = [{ ServiceControlPolicyInputList: [policy(allow('*'))] }, { ServiceControlPolicyInputList: [policy(allow('s3:*'))] }];
    const r = await custom({ PolicyInputList: [policy(allow('*'))], OrderedOrganizationPolicyInputList: scps, ActionNames: ['s3:GetObject', 'iam:CreateUser'] });
    expect(r.map((e) => [e.EvalDecision, e.OrganizationsDecisionDetail?.AllowedByOrganizations])).toEqual([
      ['allowed', true],
      ['implicitDeny', false],
    ]);
  });

  test('errors: malformed policies, wildcard actions, a resource policy without a caller', async () => {
    expect(await failure(iam().send(new SimulateCustomPolicyCommand({ PolicyInputList: ['{"Statement":'], ActionNames: ['s3:GetObject'] })))).toMatchObject({ name: 'InvalidInputException', status: 400 });
    expect(await failure(iam().send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy(allow('s3:*'))], ActionNames: ['s3:*'] })))).toMatchObject({ name: 'InvalidInputException' });
    expect(await failure(iam().send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy(allow('s3:*'))], ActionNames: ['s3:GetObject'], ResourcePolicy: bucketPolicy('*') })))).toMatchObject({ name: 'InvalidInputException' });
  });
});

describe('SimulatePrincipalPolicy and GetContextKeys*', () => {
  test("a user's inline, managed and group policies, named as the simulator names them", async () => {
    const c = iam();
    await c.send(new CreateUserCommand({ UserName: 'dana' }));
    await c.send(new PutUserPolicyCommand({ UserName: 'dana', PolicyName: 'ReadQueues', PolicyDocument: policy(allow('sqs:Receive*')) }));
    await c.send(new CreateGroupCommand({ GroupName: 'devs' }));
    await c.send(new PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'NoDelete', PolicyDocument: policy(deny('sqs:DeleteQueue', '*', { Condition: { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } } })) }));
    await c.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'dana' }));
    const created = await c.send(new CreatePolicyCommand({ PolicyName: 'Writer', PolicyDocument: policy(allow('sqs:*', 'arn:aws:sqs:*:*:${aws:username}-*')) }));
    await c.send(new AttachUserPolicyCommand({ UserName: 'dana', PolicyArn: created.Policy!.Arn! }));
    await c.send(new AttachUserPolicyCommand({ UserName: 'dana', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));

    const arn = `arn:aws:iam::${ACCOUNT}:user/dana`;
    const r = await c.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn, ActionNames: ['sqs:ReceiveMessage', 'sqs:DeleteQueue', 'sqs:SendMessage', 'iam:CreateUser'], ResourceArns: [`arn:aws:sqs:us-east-1:${ACCOUNT}:dana-q`], ContextEntries: [entry('aws:username', 'dana'), entry('aws:RequestedRegion', 'eu-west-1')] }));
    const by = Object.fromEntries(r.EvaluationResults!.map((e): [string, EvaluationResult] => [e.EvalActionName!, e]));
    expect(by['sqs:ReceiveMessage']!.EvalDecision).toBe('allowed');
    expect(by['sqs:ReceiveMessage']!.MatchedStatements!.map((s) => [s.SourcePolicyId, s.SourcePolicyType])).toEqual([
      ['ReadQueues', 'user'],
      ['Writer', 'user-managed'],
      ['ReadOnlyAccess', 'aws-managed'],
    ]);
    expect(by['sqs:DeleteQueue']).toMatchObject({ EvalDecision: 'explicitDeny', MatchedStatements: [{ SourcePolicyId: 'NoDelete', SourcePolicyType: 'group' }] });
    expect(by['sqs:SendMessage']!.EvalDecision).toBe('allowed');
    expect(by['iam:CreateUser']!.EvalDecision).toBe('implicitDeny');

    const keys = await c.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: arn }));
    expect(keys.ContextKeyNames).toEqual(expect.arrayContaining(['aws:RequestedRegion', 'aws:username']));

    // the user's boundary limits; PolicyInputList adds to the user's policies
    await c.send(new PutUserPermissionsBoundaryCommand({ UserName: 'dana', PermissionsBoundary: created.Policy!.Arn! }));
    const bounded = await c.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn, ActionNames: ['iam:GetUser', 'sqs:SendMessage'], ResourceArns: [`arn:aws:sqs:us-east-1:${ACCOUNT}:dana-q`], ContextEntries: [entry('aws:username', 'dana')], PolicyInputList: [policy(allow('iam:GetUser'))] }));
    expect(bounded.EvaluationResults!.map((e) => [e.EvalDecision, e.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary])).toEqual([
      ['implicitDeny', false],
      ['allowed', true],
    ]);
  });

  test('a role; a group; unknown entities; a resource policy for a role needs CallerArn', async () => {
    const c = iam();
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await c.send(new CreateRoleCommand({ RoleName: 'fn', Path: '/svc/', AssumeRolePolicyDocument: trust }));
    await c.send(new PutRolePolicyCommand({ RoleName: 'fn', PolicyName: 'Logs', PolicyDocument: policy(allow('logs:*')) }));
    const role = `arn:aws:iam::${ACCOUNT}:role/svc/fn`;
    const r = await c.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: role, ActionNames: ['logs:PutLogEvents'] }));
    expect(r.EvaluationResults![0]).toMatchObject({ EvalDecision: 'allowed', MatchedStatements: [{ SourcePolicyId: 'Logs', SourcePolicyType: 'role' }] });
    const g = await c.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:group/devs`, ActionNames: ['sqs:DeleteQueue'] }));
    expect(g.EvaluationResults![0]!.EvalDecision).toBe('explicitDeny');
    expect(await failure(c.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/nobody`, ActionNames: ['s3:GetObject'] })))).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    const rp = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] });
    expect(await failure(c.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: role, ActionNames: ['s3:GetObject'], ResourcePolicy: rp })))).toMatchObject({ name: 'InvalidInputException' });
    const withCaller = await c.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: role, ActionNames: ['s3:GetObject'], ResourcePolicy: rp, CallerArn: `arn:aws:iam::${ACCOUNT}:user/dana` }));
    expect(withCaller.EvaluationResults![0]!.EvalDecision).toBe('allowed');
  });

  test("GetContextKeysForCustomPolicy: AWS's example", async () => {
    const doc = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}';
    const r = await iam().send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [doc] }));
    expect(r.ContextKeyNames).toEqual(['aws:username', 'aws:CurrentTime']);
  });
});

describe('authorize (iam/internal, for the gateway)', () => {
  test('an IAM user: allowed, explicit deny and implicit deny, with the deciding statement and AWS wording', async () => {
    const c = iam();
    await c.send(new CreateUserCommand({ UserName: 'erin' }));
    await c.send(new TagUserCommand({ UserName: 'erin', Tags: [{ Key: 'team', Value: 'red' }] }));
    await c.send(new PutUserPolicyCommand({ UserName: 'erin', PolicyName: 'Mixed', PolicyDocument: policy(
      allow('sqs:*', 'arn:aws:sqs:*:*:${aws:PrincipalTag/team}-*', { Sid: 'TeamQueues' }),
      deny('sqs:DeleteQueue', '*', { Sid: 'NoDeletes', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2000-01-01T00:00:00Z' } } }),
    ) }));
    const key = await c.send(new CreateAccessKeyCommand({ UserName: 'erin' }));
    const store = ctx.g.runtime.store;
    const base = { store, ctx: { accessKeyId: key.AccessKey!.AccessKeyId!, accountId: ACCOUNT, region: 'us-east-1' }, now: ctx.g.clock.now().getTime() };
    const ok = authorize({ ...base, action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:red-q` });
    expect(ok).toMatchObject({ decision: 'allowed', callerArn: `arn:aws:iam::${ACCOUNT}:user/erin` });
    expect(ok.reason).toContain('statement "TeamQueues"');
    const del = authorize({ ...base, action: 'sqs:DeleteQueue', resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:red-q` });
    expect(del).toMatchObject({ decision: 'explicitDeny', message: `User: arn:aws:iam::${ACCOUNT}:user/erin is not authorized to perform: sqs:DeleteQueue on resource: arn:aws:sqs:us-east-1:${ACCOUNT}:red-q with an explicit deny in an identity-based policy` });
    expect(del.reason).toContain('"NoDeletes"');
    const other = authorize({ ...base, action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:blue-q` });
    expect(other).toMatchObject({ decision: 'implicitDeny', message: expect.stringContaining('because no identity-based policy allows the sqs:SendMessage action') });
    // the root user (default test credentials) may do anything; an SCP still limits it
    const root = authorize({ ...base, ctx: { accountId: ACCOUNT, region: 'us-east-1', accessKeyId: 'test' }, action: 'iam:CreateUser' });
    expect(root.decision).toBe('allowed');
    const scp = authorize({ ...base, ctx: { accountId: ACCOUNT, region: 'us-east-1', accessKeyId: 'test' }, action: 'iam:CreateUser', scps: [[policy(allow('s3:*'))]] });
    expect(scp).toMatchObject({ decision: 'implicitDeny', decidedBy: 'scp' });
  });
});

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  test('aws iam simulate-custom-policy --policy-input-list file://… --context-entries …', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gureum-sim-'));
    const file = join(dir, 'policies.json');
    writeFileSync(file, JSON.stringify([policy(allow('dynamodb:*', '*', { Condition: { DateGreaterThan: { 'aws:CurrentTime': '2018-08-16T12:00:00Z' } } }))]));
    const r = await awsCli(ctx.g, ['iam', 'simulate-custom-policy', '--policy-input-list', `file://${file}`, '--action-names', 'dynamodb:CreateBackup', 'dynamodb:DeleteTable',
      '--context-entries', "ContextKeyName='aws:CurrentTime',ContextKeyValues='2019-04-25T11:00:00Z',ContextKeyType=date"]);
    expect(r.status, r.stderr).toBe(0);
    const out = r.json as { EvaluationResults: { EvalActionName: string; EvalDecision: string; MatchedStatements: { SourcePolicyId: string }[] }[] };
    expect(out.EvaluationResults.map((e) => [e.EvalActionName, e.EvalDecision, e.MatchedStatements[0]?.SourcePolicyId])).toEqual([
      ['dynamodb:CreateBackup', 'allowed', 'PolicyInputList.1'],
      ['dynamodb:DeleteTable', 'allowed', 'PolicyInputList.1'],
    ]);
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  test('simulate_principal_policy for a user with a permissions boundary', async () => {
    const r = await boto3(ctx.g, `
iam = boto3.client('iam', endpoint_url=ENDPOINT, region_name='us-east-1')
doc = json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': ['s3:*', 'ec2:*'], 'Resource': '*'}]})
iam.create_user(UserName='py-sim')
iam.put_user_policy(UserName='py-sim', PolicyName='Broad', PolicyDocument=doc)
b = iam.create_policy(PolicyName='py-boundary', PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 's3:*', 'Resource': '*'}]}))['Policy']['Arn']
iam.put_user_permissions_boundary(UserName='py-sim', PermissionsBoundary=b)
arn = iam.get_user(UserName='py-sim')['User']['Arn']
res = iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=['s3:ListBucket', 'ec2:RunInstances'])['EvaluationResults']
print(json.dumps([[e['EvalActionName'], e['EvalDecision'], e['PermissionsBoundaryDecisionDetail']['AllowedByPermissionsBoundary'], [s['SourcePolicyId'] for s in e['MatchedStatements']]] for e in res]))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual([
      ['s3:ListBucket', 'allowed', true, ['Broad']],
      ['ec2:RunInstances', 'implicitDeny', false, []],
    ]);
  });
});
