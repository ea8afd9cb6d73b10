/**
 * AWS Secrets Manager (awsJson 1.1): secrets with versions and staging labels, values encrypted
 * through KMS (envelope encryption under the secret's key or aws/secretsmanager), replication to
 * other Regions, deletion with a recovery window on the virtual clock, tags, resource policies,
 * GetRandomPassword, and rotation: the four-step protocol with the rotation Lambda, immediate and
 * scheduled on the clock.
 */
import { defineService, type OperationHandler } from '../service.js';
import { scopeOf } from '../../gateway/context.js';
import type { SecretsManagerHandlers } from './generated/types.js';
import { SecretsState } from './state.js';
import { createSecret, deleteSecret, describeSecret, listSecrets, restoreSecret, tagResource, untagResource, updateSecret } from './operations/secrets.js';
import { batchGetSecretValue, getSecretValue, listSecretVersionIds, putSecretValue, updateSecretVersionStage } from './operations/values.js';
import { cancelRotateSecret, rotateSecret } from './operations/rotation.js';
import { removeRegionsFromReplication, replicateSecretToRegions, stopReplicationToReplica } from './operations/replication.js';
import { deleteResourcePolicy, getRandomPassword, getResourcePolicy, putResourcePolicy, validateResourcePolicy } from './operations/policy.js';
import { syncReplicas } from './domain/replication.js';
import { Rotator } from './domain/rotation.js';

export default defineService({
  id: 'secretsmanager',
  create(rt) {
    const s = new SecretsState(rt);
    const rotator = new Rotator(s);
    s.onPrimaryChanged = (scope, secret) => syncReplicas(s, scope, secret);
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
      RotateSecret: (input, ctx) => rotateSecret(s, rotator, scopeOf(ctx), input),
      CancelRotateSecret: (input, ctx) => cancelRotateSecret(s, rotator, scopeOf(ctx), input.SecretId),
      ReplicateSecretToRegions: (input, ctx) => replicateSecretToRegions(s, scopeOf(ctx), input),
      RemoveRegionsFromReplication: (input, ctx) => removeRegionsFromReplication(s, scopeOf(ctx), input),
      StopReplicationToReplica: (input, ctx) => {
        const out = stopReplicationToReplica(s, scopeOf(ctx), input.SecretId);
        const rec = s.get(scopeOf(ctx), input.SecretId);
        rotator.arm(scopeOf(ctx), rec);
        return out;
      },
      PutResourcePolicy: (input, ctx) => putResourcePolicy(s, scopeOf(ctx), input),
      GetResourcePolicy: (input, ctx) => getResourcePolicy(s, scopeOf(ctx), input.SecretId),
      DeleteResourcePolicy: (input, ctx) => deleteResourcePolicy(s, scopeOf(ctx), input.SecretId),
      ValidateResourcePolicy: (input, ctx) => validateResourcePolicy(s, scopeOf(ctx), input.ResourcePolicy, input.SecretId),
      GetRandomPassword: (input) => getRandomPassword(input),
    };
    // Every operation may need KMS (values are encrypted): make sure it runs, then handle synchronously.
    const wrapped: Record<string, OperationHandler> = {};
    for (const [name, h] of Object.entries(handlers) as [string, OperationHandler][]) {
      wrapped[name] = async (input, ctx) => {
        await s.ready(scopeOf(ctx));
        return h(input, ctx);
      };
    }
    // scheduled rotations survive a restart: re-arm them from state
    for (const [scope, m] of s.secrets.allScopes()) for (const secret of m.values()) rotator.arm(scope, secret);
    return { handlers: wrapped, stop: () => s.stop() };
  },
});
