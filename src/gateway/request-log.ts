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
  /** IAM's decision (iamEnforcement soft|enforce): recorded whether or not it was enforced */
  iam?: 'allow' | 'deny';
  /** why (the policy engine's one sentence, or AWS's AccessDenied sentence for a denial) */
  iamReason?: string;
}

type Stored = Omit<RequestLogEntry, 'time'> & { time?: string; at?: number };

export class RequestLog {
  private readonly buf: Stored[] = [];
  private next = 0;

  constructor(private readonly size: number) {}

  add(e: RequestLogEntry): void {
    this.store(e);
  }

  /** Same, with the time as clock milliseconds: formatted only when the log is read (hot path). */
  addAt(at: number, e: Omit<RequestLogEntry, 'time'>): void {
    (e as Stored).at = at;
    this.store(e as Stored);
  }

  /** newest first */
  recent(limit = this.size): RequestLogEntry[] {
    const ordered = this.buf.length < this.size ? this.buf.slice() : [...this.buf.slice(this.next), ...this.buf.slice(0, this.next)];
    return ordered.reverse().slice(0, limit).map((e) => {
      if (e.at === undefined) return e as RequestLogEntry;
      const { at, ...rest } = e;
      return { time: new Date(at).toISOString(), ...rest };
    });
  }

  private store(e: Stored): void {
    if (this.size <= 0) return;
    if (this.buf.length < this.size) this.buf.push(e);
    else this.buf[this.next] = e;
    this.next = (this.next + 1) % this.size;
  }

  clear(): void {
    this.buf.length = 0;
    this.next = 0;
  }
}
