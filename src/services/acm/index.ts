/**
 * AWS Certificate Manager (awsJson 1.1): public (AMAZON_ISSUED) and private certificates issued
 * by gureum's local CA after emulated DNS/email validation on the virtual clock, imported
 * certificates parsed and checked for real, export with a passphrase-protected PKCS#8 key,
 * tags, account configuration. See README.md for what differs from AWS.
 */
import { defineService, type OperationHandler } from '../service.js';
import { scopeOf } from '../../gateway/context.js';
import type { Scope } from '../../state/store.js';
import type { ACMHandlers } from './generated/types.js';
import { AcmState } from './state.js';
import {
  deleteCertificate, describeCertificate, exportCertificate, getCertificate, listCertificates, renewCertificate, requestCertificate,
  resendValidationEmail,
} from './operations/certificates.js';
import { importCertificate } from './operations/import.js';
import { addTags, getAccountConfiguration, listTags, putAccountConfiguration, removeTags } from './operations/tags.js';
import { revokeCertificate, updateCertificateOptions } from './operations/options.js';
import { CertificateClock } from './domain/lifecycle.js';

export default defineService({
  id: 'acm',
  create(rt) {
    const s = new AcmState(rt);
    const clock = new CertificateClock(s);
    const handlers: ACMHandlers = {
      RequestCertificate: (input, ctx) => requestCertificate(s, scopeOf(ctx), input),
      DescribeCertificate: (input, ctx) => describeCertificate(s, scopeOf(ctx), input.CertificateArn),
      GetCertificate: (input, ctx) => getCertificate(s, scopeOf(ctx), input.CertificateArn),
      ListCertificates: (input, ctx) => listCertificates(s, scopeOf(ctx), input),
      DeleteCertificate: (input, ctx) => deleteCertificate(s, scopeOf(ctx), input.CertificateArn),
      ImportCertificate: (input, ctx) => importCertificate(s, scopeOf(ctx), input),
      ExportCertificate: (input, ctx) => exportCertificate(s, scopeOf(ctx), input),
      RenewCertificate: (input, ctx) => renewCertificate(s, scopeOf(ctx), input.CertificateArn),
      ResendValidationEmail: (input, ctx) => resendValidationEmail(s, scopeOf(ctx), input),
      AddTagsToCertificate: (input, ctx) => addTags(s, scopeOf(ctx), input.CertificateArn, input.Tags),
      RemoveTagsFromCertificate: (input, ctx) => removeTags(s, scopeOf(ctx), input.CertificateArn, input.Tags),
      ListTagsForCertificate: (input, ctx) => listTags(s, scopeOf(ctx), input.CertificateArn),
      PutAccountConfiguration: (input, ctx) => putAccountConfiguration(s, scopeOf(ctx), input),
      GetAccountConfiguration: (_input, ctx) => getAccountConfiguration(s, scopeOf(ctx)),
      RevokeCertificate: (input, ctx) => revokeCertificate(s, scopeOf(ctx), input),
      UpdateCertificateOptions: (input, ctx) => updateCertificateOptions(s, scopeOf(ctx), input),
    };
    // After a change, the certificate's next step on the clock (issuance, renewal, expiry events) is re-armed.
    const wrapped: Record<string, OperationHandler> = {};
    for (const [name, h] of Object.entries(handlers) as [string, OperationHandler][]) {
      wrapped[name] = (input, ctx) => {
        const scope = scopeOf(ctx);
        const out = h(input, ctx) as { CertificateArn?: string } | undefined;
        if (name === 'PutAccountConfiguration') clock.armAll(scope);
        else if (!name.startsWith('Get') && !name.startsWith('List') && !name.startsWith('Describe')) {
          const arn = out?.CertificateArn ?? (input as { CertificateArn?: string }).CertificateArn;
          const id = arn?.slice(arn.lastIndexOf('/') + 1);
          const rec = id ? s.certs.get(scope, id) : undefined;
          if (rec) clock.arm(scope, rec);
          else if (arn && name === 'DeleteCertificate') clock.forgetArn(scope, arn);
        }
        return out;
      };
    }
    clock.armAll();
    /** used by internal.ts: record that a resource (a load balancer listener, a distribution) uses a certificate */
    const setInUse = (scope: Scope, certificateArn: string, resourceArn: string, inUse: boolean): void => {
      const rec = s.get(scope, certificateArn);
      rec.inUseBy = rec.inUseBy.filter((a) => a !== resourceArn);
      if (inUse) rec.inUseBy.push(resourceArn);
      s.save(scope, rec);
      clock.arm(scope, rec);
    };
    return { handlers: wrapped, setInUse, stop: () => clock.stop() } as never;
  },
});
