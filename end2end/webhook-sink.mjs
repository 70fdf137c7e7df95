// A recipient's webhook endpoint for the tests: answers 200 to every POST and writes it (path,
// headers, JSON body) as one file per call into --dir. With --catalogue OUT it also writes a
// copy of Custodia's default data catalogue whose recipients point their webhooks here.
//   node webhook-sink.mjs --port 2711 --dir .data/webhooks --catalogue .data/catalogue.json
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const port = Number(arg('port', '2711'));
const dir = arg('dir', '.data/webhooks');
fs.mkdirSync(dir, { recursive: true });

const out = arg('catalogue');
if (out) {
  const catalogue = JSON.parse(fs.readFileSync('../domain/catalogue/default.json', 'utf8'));
  for (const category of catalogue.categories) {
    for (const r of category.recipients ?? []) {
      if (r.role !== 'authority') r.webhook = `http://127.0.0.1:${port}/${r.name.toLowerCase().replace(/[^a-z]+/g, '-')}`;
    }
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ catalogue, customers: [] }));
}

let count = 0;
http
  .createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const name = `${Date.now()}-${String(++count).padStart(6, '0')}`;
      const record = { path: req.url, method: req.method, headers: req.headers, body, receivedAt: Date.now() };
      const tmp = path.join(dir, `${name}.tmp`);
      fs.writeFileSync(tmp, JSON.stringify(record));
      fs.renameSync(tmp, path.join(dir, `${name}.json`));
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  })
  .listen(port, '127.0.0.1', () => console.log(`listening ${port}`));
