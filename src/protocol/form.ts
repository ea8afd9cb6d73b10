/** application/x-www-form-urlencoded bodies (query and ec2 protocols). */
export function parseForm(body: Buffer | string): URLSearchParams {
  return new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'));
}
