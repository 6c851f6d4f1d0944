/**
 * Attack: an HTML-only mail made to stall the worker that turns it into text (1 MB of unclosed
 * `<script>`, of `<`, of nested unclosed tags: the old regex pipeline was quadratic on them),
 * or to smuggle script/style content into the conversation as text. The HTML-to-text step is
 * a linear tokenizer (services/mail/html-to-text): each hostile 1 MB mail is processed within a
 * bound relative to a 1 MB ordinary mail measured in the same run, and no script ever shows.
 */
import { Worker } from 'node:worker_threads';
import test from 'ava';
import { readInboundMail } from '../../services/gmail/mail.js';
import { htmlToText } from '../../services/mail/html-to-text.js';

const MB = 1024 * 1024;

/** Parse `html` in a worker thread; undefined when it is not done within `deadlineMs`. */
function parseWithin(html: string, deadlineMs: number): Promise<{ ms: number; body: string | null } | undefined> {
  const worker = new Worker(new URL('./html-mail-to-text-worker.mjs', import.meta.url), { workerData: { html } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve(undefined);
    }, deadlineMs);
    worker.once('message', (result: { ms: number; body: string | null }) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

function fill(unit: string, bytes: number): string {
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

test('1 MB hostile HTML mails are turned into text in time proportional to an ordinary 1 MB mail', async (t) => {
  const plain = `<p>${fill('hello world ', MB)}</p>`;
  // The ordinary mail, twice (the first run warms the worker's code up); the bound is generous
  // (50×, at least 3 s), the old regex pipeline needed minutes for the first hostile input.
  await parseWithin(plain, 60_000);
  const reference = await parseWithin(plain, 60_000);
  t.truthy(reference, 'the ordinary mail is parsed');
  const bound = Math.max(3_000, reference!.ms * 50);
  const hostile: Record<string, string> = {
    'unclosed <script> tags': fill('<script>', MB),
    'one <script> and 1 MB of script': `<script>${fill('alert(1);', MB)}`,
    '1 MB of <': fill('<', MB),
    'nested unclosed tags': fill('<div><span><a>', MB),
    'unclosed tags then stray closers': fill('<b>', MB / 2) + fill('</i>', MB / 2),
    'unterminated comments and attributes': fill('<!--<a href="', MB),
  };
  for (const [name, html] of Object.entries(hostile)) {
    const result = await parseWithin(html, bound);
    t.truthy(result, `${name}: not done within ${bound} ms (the ordinary mail took ${reference!.ms.toFixed(1)} ms)`);
    t.false(result?.body?.includes('alert') ?? false, `${name}: script became text`);
  }
});

test('script and style content never becomes text, however the tags are written', (t) => {
  const mail = (html: string) =>
    readInboundMail(
      {
        id: 'g',
        threadId: 't',
        payload: {
          mimeType: 'text/html',
          headers: [{ name: 'From', value: 'a@example.com' }],
          body: { data: Buffer.from(html).toString('base64url') },
        },
      },
      10_000,
    )!.body;
  t.is(mail('<p>Hi</p><script>alert(1)</script >'), 'Hi');
  t.is(mail('<p>Hi</p><SCRIPT type="text/javascript">alert(1)</SCRIPT\n>'), 'Hi');
  t.is(mail('<style media="x">p { color: red }</style ><p>Hi</p>'), 'Hi');
  t.is(mail('<p>Hi</p><script>document.write("</div>")</script><p>there</p>'), 'Hi\nthere');
  t.is(mail('<p>Hi</p><script>never closed'), 'Hi');
  t.is(mail('Tom &amp; Jerry &lt;3 &#x41;&nbsp;B'), 'Tom & Jerry <3 A B');
  t.is(htmlToText(`<p>${'x'.repeat(50)}</p>`, 10), 'x'.repeat(10), 'the output is capped');
});
