/** PutPermission / RemovePermission: the event bus resource policy (shown by DescribeEventBus). */
import { AwsError, validationError } from '../../../core/errors.js';
import { scopeOf } from '../../../gateway/context.js';
import type { EventBridgeHandlers } from '../generated/types.js';
import { parsePolicy, type PolicyDocument, type PolicyStatement } from '../domain/policy.js';
import type { BusRecord, EventsState } from '../state.js';

const STATEMENT_ID = /^[a-zA-Z0-9-_]{1,64}$/;
const ACCOUNT = /^(\d{12}|\*)$/;

const invalid = (m: string) => new AwsError('InvalidParameterValue', m, 400);

export function permissionHandlers(state: EventsState): EventBridgeHandlers {
  return {
    PutPermission(input, ctx) {
      const scope = scopeOf(ctx);
      const bus = state.bus(scope, input.EventBusName);
      let doc: PolicyDocument;
      if (input.Policy !== undefined) {
        let next: PolicyDocument;
        try {
          next = parsePolicy(input.Policy);
        } catch {
          throw validationError('This policy contains invalid Json');
        }
        if (!next.Statement.length || next.Statement.some((s) => s.Effect !== 'Allow' && s.Effect !== 'Deny')) throw validationError('This policy contains invalid Json');
        doc = next;
      } else {
        if (input.Principal === undefined) throw validationError('Parameter Principal must be specified.');
        if (input.Condition && input.Principal !== '*') throw invalid("Value of the parameter 'principal' must be '*' when the parameter 'condition' is set.");
        if (!ACCOUNT.test(input.Principal)) throw invalid(`Value ${input.Principal} at 'principal' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\d{12}|\\*)`);
        if (input.Action !== 'events:PutEvents') throw validationError("Provided value in parameter 'action' is not supported.");
        if (input.StatementId === undefined || !STATEMENT_ID.test(input.StatementId)) throw invalid('StatementId must match ^[a-zA-Z0-9-_]{1,64}$');
        doc = parsePolicy(bus.policy);
        const statement: PolicyStatement = {
          Sid: input.StatementId,
          Effect: 'Allow',
          Principal: input.Principal === '*' ? '*' : { AWS: `arn:aws:iam::${input.Principal}:root` },
          Action: 'events:PutEvents',
          Resource: bus.arn,
          ...(input.Condition ? { Condition: { [input.Condition.Type]: { [input.Condition.Key]: input.Condition.Value } } } : {}),
        };
        doc.Statement = [...doc.Statement.filter((s) => s.Sid !== input.StatementId), statement];
      }
      state.buses.put(scope, bus.name, { ...bus, policy: JSON.stringify(doc), modifiedAt: state.rt.clock.now() });
    },
    RemovePermission(input, ctx) {
      const scope = scopeOf(ctx);
      const bus = state.bus(scope, input.EventBusName);
      const dropPolicy = (b: BusRecord) => {
        const rest: BusRecord = { ...b, modifiedAt: state.rt.clock.now() };
        delete rest.policy;
        state.buses.put(scope, b.name, rest);
      };
      if (input.RemoveAllPermissions) return dropPolicy(bus);
      if (!bus.policy) throw new AwsError('ResourceNotFoundException', 'EventBus does not have a policy.', 400);
      if (input.StatementId === undefined) throw validationError('Parameter StatementId must be specified.');
      const doc = parsePolicy(bus.policy);
      const kept = doc.Statement.filter((s) => s.Sid !== input.StatementId);
      if (kept.length === doc.Statement.length) throw new AwsError('ResourceNotFoundException', 'Statement with the provided id does not exist.', 400);
      if (!kept.length) return dropPolicy(bus);
      state.buses.put(scope, bus.name, { ...bus, policy: JSON.stringify({ ...doc, Statement: kept }), modifiedAt: state.rt.clock.now() });
    },
  };
}
