import fs from 'node:fs';
import path from 'node:path';

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

export interface OutboxOptions {
  /**
   * A JSON-lines file every message is appended to before the provider call is answered, and which
   * is read back when the outbox is created: `npm start` passes `.data/sandbox-outbox.jsonl`
   * (SANDBOX_OUTBOX_FILE), so a restarted sandbox still shows what it delivered before, and a crash
   * loses nothing it acknowledged. Unset: memory only (tests that build their own sandbox).
   */
  file?: string;
  /** Messages kept in memory (the newest; older ones stay on disk until rotated away). */
  capacity?: number;
  /** Past this size the file rotates to `<file>.1` (replacing the previous one): at most twice this on disk. */
  maxFileBytes?: number;
}

export class Outbox {
  private readonly messages: OutboxMessage[] = [];
  private readonly capacity: number;
  private readonly file?: string;
  private readonly maxFileBytes: number;
  private fileBytes = 0;

  constructor(opts: OutboxOptions = {}) {
    this.capacity = opts.capacity ?? 50_000;
    this.maxFileBytes = opts.maxFileBytes ?? 16 * 1024 * 1024;
    this.file = opts.file;
    if (this.file) this.load(this.file);
  }

  /** Rotated file first (older), then the current one; a line torn by a crash mid-append is skipped. */
  private load(file: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (const f of [`${file}.1`, file]) {
      let text: string;
      try {
        text = fs.readFileSync(f, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      if (f === file) {
        // A line torn by a crash mid-append is ended, so the next message starts a line of its own.
        if (text.length > 0 && !text.endsWith('\n')) {
          fs.appendFileSync(file, '\n');
          text += '\n';
        }
        this.fileBytes = Buffer.byteLength(text);
      }
      for (const line of text.split('\n')) {
        if (!line) continue;
        try {
          this.remember(JSON.parse(line) as OutboxMessage);
        } catch {
          // A partial last line (the process died mid-write): nothing was acknowledged for it.
        }
      }
    }
  }

  private remember(msg: OutboxMessage): void {
    this.messages.push(msg);
    // Bounded so a long-running dev stack does not grow without limit.
    if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
  }

  add(msg: OutboxMessage): void {
    if (this.file) {
      // Synchronous on purpose: the message is on disk before the simulated provider answers, so a
      // sandbox killed right after still has it. Local development volumes only; a line is ~1 KB.
      const line = `${JSON.stringify(msg)}\n`;
      if (this.fileBytes > 0 && this.fileBytes + Buffer.byteLength(line) > this.maxFileBytes) {
        fs.renameSync(this.file, `${this.file}.1`);
        this.fileBytes = 0;
      }
      fs.appendFileSync(this.file, line);
      this.fileBytes += Buffer.byteLength(line);
    }
    this.remember(msg);
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
