// open_link's approval shows what will open, not the string the model wrote: the parsed URL with
// its host named first (punycode for a non-ASCII host), and URLs carrying user info are refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openLinkTool } from '../../main/tools/builtin/open-link';

const tool = openLinkTool(async () => {});
const parse = (url: string) => tool.parameters.safeParse({ url });

describe('open_link approval', () => {
  test('a URL with user info (e.g. "good.example\\n@evil.example") is refused before asking', () => {
    for (const url of ['https://good.example\n@evil.example/', 'https://good.example@evil.example/', 'https://user:pw@example.com/']) {
      const r = parse(url);
      assert.equal(r.success, false, JSON.stringify(url));
      assert.match(r.error!.issues[0]!.message, /user name or password/);
    }
  });

  test('the summary names the real host first; a look-alike Cyrillic host is shown in punycode', () => {
    const r = parse('https://аpple.com/login');
    assert.ok(r.success);
    const summary = tool.summarize!(r.data);
    assert.match(summary, /^Open a page on xn--pple-43d\.com: https:\/\/xn--pple-43d\.com\/login/);
    assert.ok(!/[^\x00-\x7f]/.test(summary), 'no look-alike letters in what the user reads');
    assert.equal((r.data as { url: string }).url, 'https://xn--pple-43d.com/login', 'the arguments shown are the parsed URL too');
  });
});
