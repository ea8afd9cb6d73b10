/**
 * What other services may ask ACM: mark a certificate as used by one of their resources (ELB
 * listeners, CloudFront distributions, …). A certificate in use appears in InUseBy, is eligible
 * for managed renewal, and DeleteCertificate refuses it with ResourceInUseException.
 */
import type { ServiceInstance } from '../service.js';
import type { Scope } from '../../state/store.js';

type AcmInstance = ServiceInstance & { setInUse?: (scope: Scope, certificateArn: string, resourceArn: string, inUse: boolean) => void };

/** Throws ACM's ResourceNotFoundException / ValidationException when the certificate does not exist. */
export function setCertificateInUse(acm: ServiceInstance | undefined, scope: Scope, certificateArn: string, resourceArn: string, inUse: boolean): void {
  (acm as AcmInstance | undefined)?.setInUse?.(scope, certificateArn, resourceArn, inUse);
}
