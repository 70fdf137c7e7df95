// Mail as the SMTP server received it: mail-sink.mjs writes one JSON file per message into
// .data/<project>/mail. Specs wait for the message they expect, as a person waits for an inbox.
import fs from 'node:fs';
import path from 'node:path';
import { expect, type TestInfo } from '@playwright/test';

export type Mail = { to: string[]; subject: string; text: string; html: string; receivedAt: number };

function inbox(info: TestInfo): Mail[] {
  const dir = path.join('.data', info.project.name, 'mail');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Mail);
}

/** The first message to `to` whose subject contains `subject`, received after `since` (ms). */
export async function waitForMail(info: TestInfo, to: string, subject: string, since: number): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      () => {
        found = inbox(info).find((m) => m.receivedAt >= since && m.to.includes(to) && m.subject.includes(subject));
        return found !== undefined;
      },
      { timeout: 20_000, message: `mail to ${to} about "${subject}"` },
    )
    .toBe(true);
  return found!;
}

/** The first link under `pathPrefix` ("/confirm/") in the plain-text part. */
export function linkIn(mail: Mail, pathPrefix: string): string {
  const match = mail.text.match(new RegExp(`https?://\\S+${pathPrefix.replace(/\//g, '\\/')}[A-Za-z0-9_-]+`));
  if (!match) throw new Error(`no ${pathPrefix} link in "${mail.subject}"`);
  return match[0];
}
