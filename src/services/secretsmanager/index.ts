/**
 * AWS Secrets Manager (awsJson 1.1): secrets with versions and staging labels, deletion with a
 * recovery window on the virtual clock, tags, resource policies, GetRandomPassword and the
 * rotation configuration. Values are stored unencrypted (KmsKeyId is recorded as given).
 */
import { defineService } from '../service.js';
import { scopeOf } from '../../gateway/context.js';
import type { SecretsManagerHandlers } from './generated/types.js';
import { SecretsState } from './state.js';
import { createSecret, deleteSecret, describeSecret, listSecrets, restoreSecret, tagResource, untagResource, updateSecret } from './operations/secrets.js';
import {
  batchGetSecretValue, cancelRotateSecret, getSecretValue, listSecretVersionIds, putSecretValue, rotateSecret, updateSecretVersionStage,
} from './operations/values.js';
import { deleteResourcePolicy, getRandomPassword, getResourcePolicy, putResourcePolicy, validateResourcePolicy } from './operations/policy.js';

export default defineService({
  id: 'secretsmanager',
  create(rt) {
    const s = new SecretsState(rt);
    const handlers: SecretsManagerHandlers = {
      CreateSecret: (input, ctx) => createSecret(s, scopeOf(ctx), input),
      DescribeSecret: (input, ctx) => describeSecret(s, scopeOf(ctx), input.SecretId),
      UpdateSecret: (input, ctx) => updateSecret(s, scopeOf(ctx), input),
      DeleteSecret: (input, ctx) => deleteSecret(s, scopeOf(ctx), input),
      RestoreSecret: (input, ctx) => restoreSecret(s, scopeOf(ctx), input.SecretId),
      ListSecrets: (input, ctx) => listSecrets(s, scopeOf(ctx), input),
      TagResource: (input, ctx) => tagResource(s, scopeOf(ctx), input.SecretId, input.Tags),
      UntagResource: (input, ctx) => untagResource(s, scopeOf(ctx), input.SecretId, input.TagKeys),
      GetSecretValue: (input, ctx) => getSecretValue(s, scopeOf(ctx), input),
      BatchGetSecretValue: (input, ctx) => batchGetSecretValue(s, scopeOf(ctx), input),
      PutSecretValue: (input, ctx) => putSecretValue(s, scopeOf(ctx), input),
      ListSecretVersionIds: (input, ctx) => listSecretVersionIds(s, scopeOf(ctx), input),
      UpdateSecretVersionStage: (input, ctx) => updateSecretVersionStage(s, scopeOf(ctx), input),
      RotateSecret: (input, ctx) => rotateSecret(s, scopeOf(ctx), input),
      CancelRotateSecret: (input, ctx) => cancelRotateSecret(s, scopeOf(ctx), input.SecretId),
      PutResourcePolicy: (input, ctx) => putResourcePolicy(s, scopeOf(ctx), input),
      GetResourcePolicy: (input, ctx) => getResourcePolicy(s, scopeOf(ctx), input.SecretId),
      DeleteResourcePolicy: (input, ctx) => deleteResourcePolicy(s, scopeOf(ctx), input.SecretId),
      ValidateResourcePolicy: (input, ctx) => validateResourcePolicy(s, scopeOf(ctx), input.ResourcePolicy, input.SecretId),
      GetRandomPassword: (input) => getRandomPassword(input),
    };
    return { handlers: handlers as never, stop: () => s.stop() };
  },
});
