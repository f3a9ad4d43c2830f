// Node.js's http2 client against the reference server: GET /, POST /echo, and the push
// the demo site sends with "/". Usage: node node_client.js URL. Exit 0 when all pass.
'use strict';
const http2 = require('http2');
const url = process.argv[2];
let failures = 0;
function check(name, cond) {
  console.log((cond ? 'ok   ' : 'FAIL ') + name);
  if (!cond) failures++;
}
const timer = setTimeout(() => { check('finished within 20 s', false); process.exit(1); }, 20000);
const session = http2.connect(url, { rejectUnauthorized: false });
session.on('error', (e) => { check('session error: ' + e.message, false); process.exit(1); });
const pushed = [];
session.on('stream', (stream, headers) => {
  let body = '';
  stream.on('push', (h) => { pushed.push({ path: headers[':path'], status: h[':status'] }); });
  stream.on('data', (d) => { body += d; });
});
function request(headers, body) {
  return new Promise((resolve) => {
    const req = session.request(headers);
    let status = 0;
    let text = '';
    req.on('response', (h) => { status = h[':status']; });
    req.setEncoding('utf8');
    req.on('data', (d) => { text += d; });
    req.on('end', () => resolve({ status, text }));
    req.on('error', (e) => resolve({ status: -1, text: e.message }));
    req.end(body);
  });
}
(async () => {
  const page = await request({ ':path': '/' });
  check('protocol: ' + session.alpnProtocol, url.startsWith('https:') ? session.alpnProtocol === 'h2' : session.alpnProtocol === 'h2c');
  check('GET / -> 200', page.status === 200);
  check('GET / -> the demo page', page.text.includes('h2harness reference server'));
  const payload = 'x'.repeat(200000);
  const echo = await request({ ':path': '/echo', ':method': 'POST', 'x-from': 'node' }, payload);
  check('POST /echo -> 200', echo.status === 200);
  check('POST /echo -> header echoed', echo.text.includes('x-from: node\n'));
  check('POST /echo -> 200000-octet body echoed', echo.text.endsWith(payload));
  await new Promise((r) => setTimeout(r, 100));
  check('push of /style.css received', pushed.some((p) => p.path === '/style.css' && p.status === 200));
  session.close();
  clearTimeout(timer);
  process.exitCode = failures ? 1 : 0;
})();
