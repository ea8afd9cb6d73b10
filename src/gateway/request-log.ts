/** Ring buffer of recent requests for /_gureum/requests and the console. */
export interface RequestLogEntry {
  time: string;
  requestId: string;
  service: string;
  operation: string;
  account: string;
  region: string;
  status: number;
  ms: number;
  error?: string;
}

export class RequestLog {
  private readonly buf: RequestLogEntry[] = [];
  private next = 0;

  constructor(private readonly size: number) {}

  add(e: RequestLogEntry): void {
    if (this.size <= 0) return;
    if (this.buf.length < this.size) this.buf.push(e);
    else this.buf[this.next] = e;
    this.next = (this.next + 1) % this.size;
  }

  /** newest first */
  recent(limit = this.size): RequestLogEntry[] {
    const ordered = this.buf.length < this.size ? this.buf.slice() : [...this.buf.slice(this.next), ...this.buf.slice(0, this.next)];
    return ordered.reverse().slice(0, limit);
  }

  clear(): void {
    this.buf.length = 0;
    this.next = 0;
  }
}
