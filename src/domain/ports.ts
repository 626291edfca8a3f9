/**
 * Ports: what the domain needs from the outside world, implemented outside it (src/adapters/ for what
 * Web standards can do, src/entry/adapters/ for what needs a runtime's sockets) and handed down by the
 * entry through the app (AppDeps.ports) into every Ctx and JobCtx. An absent port means "not
 * configured here": operations that need it answer their configuration error.
 */

/** An e-mail to hand to a mail transport (plain text, UTF-8). */
export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** Sends e-mail (SMTP on Node and Deno, an HTTP mail API on Workers). Throws on failure. */
export interface MailTransport {
  /** What it is, for logs and decisions (`smtp`, `http`). */
  readonly kind: string;
  send(message: MailMessage): Promise<{ messageId: string }>;
}

/** An SMS gateway in the realm's settings: a URL template (Kannel `sendsms` style). */
export interface SmsRoute {
  /** `http(s)://…?username=%u&password=%p&from=%f&to=%t&text=%x` style template (see adapters/kannelSms.ts). */
  urlTemplate: string;
  username: string;
  password: string;
}

export interface SmsMessage {
  from: string;
  to: string;
  text: string;
  /** openmor's message id: the same on every retry, so a receiver can drop a repeated send. */
  id?: string;
}

/** Sends SMS through an HTTP gateway. Throws an SmsRejected (or any error) when it is not accepted. */
export interface SmsGateway {
  send(route: SmsRoute, message: SmsMessage): Promise<{ reference: string }>;
}

/** An Asterisk-style origination: call `channel`, then run `application`/`data` or go to `exten`. */
export interface OriginateRequest {
  channel: string;
  callerId?: string;
  /** Dialplan target (context/exten/priority) … */
  context?: string;
  exten?: string;
  priority?: string;
  /** … or an application with its data (ChanSpy, Dial). */
  application?: string;
  data?: string;
  /** Channel variables. */
  variables?: Record<string, string>;
  timeoutMs?: number;
}

/** Places calls on the switch (Asterisk Manager Interface on Node and Deno). Throws when it cannot. */
export interface CallControl {
  originate(request: OriginateRequest): Promise<{ actionId: string; uniqueId?: string }>;
}

export interface Ports {
  mail?: MailTransport;
  /** The From address of system e-mail. */
  mailFrom?: string;
  sms?: SmsGateway;
  callControl?: CallControl;
  /** HTTP client for webhooks and HTTP gateways (default: the global fetch). */
  fetch?: typeof fetch;
}
