import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
  authUser: string | undefined;
}

/**
 * A minimal SMTP receiver for loopback tests: EHLO/HELO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA
 * (with dot-unstuffing), RSET, NOOP, QUIT. No TLS (the channel is used with security: none).
 * `authReply` lets a test make the server reject credentials with a chosen reply.
 */
export class SmtpReceiver {
  readonly mails: ReceivedMail[] = [];
  port = 0;
  /** Reply to a DATA terminator; set to e.g. "451 4.3.0 try later" to refuse. */
  dataReply = '250 2.0.0 OK queued';
  private server: Server | undefined;

  constructor(private readonly options: { user?: string; pass?: string; authReply?: (user: string, pass: string) => string } = {}) {}

  async start(): Promise<this> {
    const server = createServer((socket) => this.session(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private checkAuth(user: string, pass: string): string {
    if (this.options.authReply) return this.options.authReply(user, pass);
    return user === this.options.user && pass === this.options.pass ? '235 2.7.0 Authentication successful' : '535 5.7.8 Authentication failed';
  }

  private session(socket: Socket): void {
    const send = (line: string): void => void socket.write(`${line}\r\n`);
    let buffer = '';
    let mode: 'cmd' | 'data' | 'login-user' | 'login-pass' | 'plain' = 'cmd';
    let mail: ReceivedMail = { from: '', to: [], data: '', authUser: undefined };
    let authUser: string | undefined;
    let loginUser = '';
    const dataLines: string[] = [];
    send('220 localhost ESMTP test');
    const onLine = (line: string): void => {
      if (mode === 'data') {
        if (line === '.') {
          mode = 'cmd';
          mail.data = dataLines.splice(0).join('\r\n');
          mail.authUser = authUser;
          const reply = this.dataReply;
          if (reply.startsWith('250')) this.mails.push(mail);
          mail = { from: '', to: [], data: '', authUser: undefined };
          send(reply);
        } else dataLines.push(line.startsWith('..') ? line.slice(1) : line);
        return;
      }
      const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
      if (mode === 'login-user') {
        loginUser = decode(line);
        mode = 'login-pass';
        send('334 UGFzc3dvcmQ6');
        return;
      }
      if (mode === 'login-pass' || mode === 'plain') {
        const [user, pass] = mode === 'plain' ? decode(line).split('\u0000').slice(1) : [loginUser, decode(line)];
        mode = 'cmd';
        const reply = this.checkAuth(user ?? '', pass ?? '');
        if (reply.startsWith('235')) authUser = user;
        send(reply);
        return;
      }
      const [verb = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
          send('250-localhost');
          send('250-AUTH PLAIN LOGIN');
          send('250 8BITMIME');
          return;
        case 'HELO':
          return send('250 localhost');
        case 'AUTH': {
          const [mech = '', initial] = arg.split(' ');
          if (mech.toUpperCase() === 'LOGIN') {
            mode = 'login-user';
            return send('334 VXNlcm5hbWU6');
          }
          if (initial) {
            const [user, pass] = decode(initial).split('\u0000').slice(1);
            const reply = this.checkAuth(user ?? '', pass ?? '');
            if (reply.startsWith('235')) authUser = user;
            return send(reply);
          }
          mode = 'plain';
          return send('334 ');
        }
        case 'MAIL':
          mail.from = arg.replace(/^FROM:\s*/i, '').replace(/[<>]/g, '').split(' ')[0] ?? '';
          return send('250 2.1.0 OK');
        case 'RCPT':
          mail.to.push(arg.replace(/^TO:\s*/i, '').replace(/[<>]/g, '').split(' ')[0] ?? '');
          return send('250 2.1.5 OK');
        case 'DATA':
          mode = 'data';
          return send('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          mail = { from: '', to: [], data: '', authUser: undefined };
          return send('250 2.0.0 OK');
        case 'NOOP':
          return send('250 2.0.0 OK');
        case 'QUIT':
          send('221 2.0.0 Bye');
          socket.end();
          return;
        default:
          return send('502 5.5.2 Command not recognized');
      }
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        onLine(line);
      }
    });
    socket.on('error', () => undefined);
  }
}

function decodeQ(text: string, underscoreIsSpace: boolean): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '_' && underscoreIsSpace) bytes.push(0x20);
    else bytes.push(...Buffer.from(c));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Headers (unfolded, RFC 2047 words decoded) and the body (quoted-printable decoded) of a mail. */
export function decodeMail(data: string): { headers: Map<string, string>; body: string } {
  const split = data.indexOf('\r\n\r\n');
  const head = data.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let body = data.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    const value = line
      .slice(i + 1)
      .trim()
      .replace(/=\?UTF-8\?Q\?([^?]*)\?=\s*(?==\?)/gi, '=?UTF-8?Q?$1?=')
      .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, q: string) => decodeQ(q, true));
    headers.set(line.slice(0, i).toLowerCase(), value);
  }
  if (/quoted-printable/i.test(headers.get('content-transfer-encoding') ?? '')) body = decodeQ(body.replace(/=\r\n/g, ''), false);
  return { headers, body };
}
