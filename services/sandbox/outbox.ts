// Every message a simulated provider "delivers" lands here, so people and tests can read it
// (that is how a developer gets the email confirmation code locally).
export interface OutboxMessage {
  id: string;
  channel: 'email' | 'sms' | 'push';
  to: string;
  subject?: string;
  body: string;
  /** Provider-specific extras (message id, template data …) for debugging. */
  meta?: Record<string, unknown>;
  createdAt: string;
}

export class Outbox {
  private readonly messages: OutboxMessage[] = [];
  constructor(private readonly capacity = 50_000) {}

  add(msg: OutboxMessage): void {
    this.messages.push(msg);
    // Bounded so a long-running dev stack does not grow without limit.
    if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
  }

  /** Newest first, optionally for one recipient (email address or phone number or device token). */
  list(filter: { to?: string; channel?: string; limit?: number } = {}): OutboxMessage[] {
    const out: OutboxMessage[] = [];
    for (let i = this.messages.length - 1; i >= 0 && out.length < (filter.limit ?? Infinity); i--) {
      const m = this.messages[i];
      if (filter.to && m.to.toLowerCase() !== filter.to.toLowerCase()) continue;
      if (filter.channel && m.channel !== filter.channel) continue;
      out.push(m);
    }
    return out;
  }

  count(): number {
    return this.messages.length;
  }
}
