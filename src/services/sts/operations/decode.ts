/** DecodeAuthorizationMessage: the details behind an encoded authorization failure message. */
import type { ServiceRuntime } from '../../service.js';
import type { DecodeAuthorizationMessageRequest, DecodeAuthorizationMessageResponse } from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { Constraints } from '../validation.js';
import { decodeAuthorizationMessage } from '../authorization-message.js';

export function decodeOperations(rt: ServiceRuntime) {
  return {
    DecodeAuthorizationMessage(input: DecodeAuthorizationMessageRequest): DecodeAuthorizationMessageResponse {
      new Constraints().length('encodedMessage', input.EncodedMessage, 1, 10240).throwIfAny();
      const decoded = decodeAuthorizationMessage(rt.store, input.EncodedMessage);
      if (decoded === undefined) throw new AwsError('InvalidAuthorizationMessageException', 'Invalid authorization message', 400);
      return { DecodedMessage: decoded };
    },
  };
}
