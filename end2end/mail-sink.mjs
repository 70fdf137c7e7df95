// A real SMTP server for the tests: accepts every message lettre sends and writes it, parsed,
// as one JSON file per message into --dir. Prints "listening <port>" once ready.
//   node mail-sink.mjs --port 2525 --dir .data/mail
// With --tls-key and --tls-cert (PEM files) it speaks TLS from the first byte (smtps), or with
// --starttls too, offers STARTTLS on a plain connection: the tests use a self-signed certificate
// to show the portal refuses it.
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const port = Number(arg('port', '2525'));
const dir = arg('dir', '.data/mail');
fs.mkdirSync(dir, { recursive: true });
const tlsKey = arg('tls-key', null);
const tlsCert = arg('tls-cert', null);
const startTls = process.argv.includes('--starttls');
const tls = tlsKey && tlsCert ? { key: fs.readFileSync(tlsKey), cert: fs.readFileSync(tlsCert) } : {};

let count = 0;
const server = new SMTPServer({
  ...tls,
  secure: Boolean(tlsKey) && !startTls,
  authOptional: true,
  disabledCommands: tlsKey && startTls ? [] : ['STARTTLS'],
  logger: false,
  size: 1024 * 1024,
  onData(stream, _session, done) {
    simpleParser(stream)
      .then((m) => {
        const record = {
          to: (m.to?.value ?? []).map((a) => a.address.toLowerCase()),
          from: m.from?.value?.[0]?.address ?? '',
          subject: m.subject ?? '',
          text: m.text ?? '',
          html: m.html || '',
          receivedAt: Date.now(),
        };
        const name = `${Date.now()}-${String(++count).padStart(6, '0')}`;
        // Write then rename, so a reader never sees half a message.
        const tmp = path.join(dir, `${name}.tmp`);
        fs.writeFileSync(tmp, JSON.stringify(record));
        fs.renameSync(tmp, path.join(dir, `${name}.json`));
        done();
      })
      .catch(done);
  },
});
server.on('error', (e) => console.error('mail sink error:', e.message));
server.listen(port, '127.0.0.1', () => console.log(`listening ${server.server.address().port}`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
