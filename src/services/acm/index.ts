/**
 * AWS Certificate Manager (awsJson 1.1): public (AMAZON_ISSUED) and private certificates issued
 * by gureum's local CA after emulated DNS/email validation on the virtual clock, imported
 * certificates parsed and checked for real, export with a passphrase-protected PKCS#8 key,
 * tags, account configuration. See README.md for what differs from AWS.
 */
import { defineService } from '../service.js';
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

export default defineService({
  id: 'acm',
  create(rt) {
    const s = new AcmState(rt);
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
    };
    /** used by internal.ts: record that a resource (a load balancer listener, a distribution) uses a certificate */
    const setInUse = (scope: Scope, certificateArn: string, resourceArn: string, inUse: boolean): void => {
      const rec = s.get(scope, certificateArn);
      rec.inUseBy = rec.inUseBy.filter((a) => a !== resourceArn);
      if (inUse) rec.inUseBy.push(resourceArn);
      s.save(scope, rec);
    };
    return { handlers: handlers as never, setInUse } as never;
  },
});
