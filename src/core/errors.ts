/**
 * One error type for every AWS-shaped failure. Protocol serializers turn it into the
 * protocol's own error shape; the code, message and HTTP status are AWS's.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly sender: boolean;
  /** Extra members of the modelled error shape (e.g. CancellationReasons), or headers. */
  readonly fields: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(code: string, message: string, status = 400, opts: { sender?: boolean; fields?: Record<string, unknown>; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.sender = opts.sender ?? status < 500;
    this.fields = opts.fields ?? {};
    this.headers = opts.headers ?? {};
  }
}

export const isAwsError = (e: unknown): e is AwsError => e instanceof AwsError;

// Common errors, with AWS's codes and statuses.
export const notImplemented = (service: string, operation: string) =>
  new AwsError('NotImplemented', `${service}:${operation} is not implemented by gureum yet`, 501, { sender: false });

export const validationError = (message: string) => new AwsError('ValidationException', message, 400);

export const missingParameter = (name: string, style: 'query' | 'json' = 'json') =>
  style === 'query'
    ? new AwsError('MissingParameter', `The request must contain the parameter ${name}`, 400)
    : new AwsError('ValidationException', `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`, 400);

export const serializationError = (message: string) => new AwsError('SerializationException', message, 400);

export const internalError = (message = 'We encountered an internal error. Please try again.') =>
  new AwsError('InternalFailure', message, 500, { sender: false });

function lowerFirst(s: string): string {
  return s ? s[0]!.toLowerCase() + s.slice(1) : s;
}
