import t from 'tap';
import { API_KEY, buildEmptyApp } from '../helpers/fixtures.js';

const withKey = `/_standin/inspect?key=${encodeURIComponent(API_KEY)}`;

t.test('the inspect page shows the latest event log entries, newest first, escaped', async (t) => {
  const app = await buildEmptyApp(t);
  t.match((await app.inject(withKey)).body, /Latest event log entries \(0\)[\s\S]*None\./);
  const { eventLogs } = app.standin.stores;
  eventLogs.insert(1_000, 'Information', 'Lambda invocation result.\n\nolder line');
  eventLogs.insert(2_000, 'Error', 'Lambda invocation failed.\n\n<script>alert(1)</script>');
  for (let i = 0; i < 25; i++) eventLogs.insert(500 + i, 'Debug', `debug ${i}`);
  const body = (await app.inject(withKey)).body;
  t.match(body, '<a href="#event-log">Event log</a>');
  t.match(body, 'Latest event log entries (27)');
  t.match(body, '&lt;script&gt;alert(1)&lt;/script&gt;', 'a lambda’s output is text, never markup');
  t.notMatch(body, '<script>alert(1)</script>');
  t.ok(body.indexOf('Lambda invocation failed.') < body.indexOf('older line'), 'newest first');
  t.match(body, '<span class="tag bad">Error</span>');
  t.equal((body.match(/<pre class="details">/g) ?? []).length, 20, 'the latest 20');
});
