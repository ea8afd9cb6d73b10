/** Writing an XML response (shared by the awsQuery and ec2Query protocols). */
import type { RequestContext } from '../../gateway/context.js';

export function sendXml(ctx: RequestContext, status: number, xml: string, headers: Record<string, string> = {}): void {
  ctx.status = status;
  ctx.res.writeHead(status, {
    ...headers,
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amzn-requestid': ctx.requestId,
  });
  ctx.res.end(xml);
}
