#!/usr/bin/env node
// h2harness adapter for hpack.js (npm, the version pinned in package-lock.json; tools/deps
// installs it into node_modules/ here with `npm ci`).
//
//   hpackjs_adapter.js decode < story.json > story-with-headers.json
//   hpackjs_adapter.js encode [--table-size N] < story.json > story-with-wire.json
//
// The adapter protocol is described in tools/adapters/README.md: one story on stdin, the
// same story on stdout with "headers" (decode) or "wire" (encode) filled in, one
// decompressor / compressor for the whole story; a case's "header_table_size" (null means
// absent) is the SETTINGS_HEADER_TABLE_SIZE from that case on. A rejected block: exit 1 and
// {"error": ...} on stdout; bad usage or input: exit 2, message on stderr. Batch mode: after
// the line {"h2harness_batch": 1}, one story per line, one answer per line. Never-indexed
// literals are reported and honoured through each case's "never_indexed" list (hpack.js's
// `neverIndex`).
//
// hpack.js keeps names and values as strings of one character per octet (latin1);
// SETTINGS_HEADER_TABLE_SIZE is applied the way a user of the library has to: the
// compressor's updateTableSize(size), and for the decompressor the table's protocolMaxSize
// (the limit for size updates; there is no public setter).
'use strict';

let hpack;
try {
  hpack = require('hpack.js');
} catch (e) {
  process.stderr.write('hpackjs_adapter.js: cannot load hpack.js (run tools/deps, which runs ' +
                       '`npm ci` in tools/adapters/hpackjs): ' + e.message + '\n');
  process.exit(2);
}

const DEFAULT_TABLE_SIZE = 4096;
const USAGE = 'usage: hpackjs_adapter.js decode < story.json\n' +
              '       hpackjs_adapter.js encode [--table-size N] < story.json\n';

class InputError extends Error {}
class BlockError extends Error {
  constructor(message, seqno) {
    super(message);
    this.seqno = seqno;
  }
}

// --- octet strings: JSON text uses \udcXX for octets that are not valid UTF-8 ------------

function utf8Length(b, i) {
  const c = b[i];
  if (c < 0x80) return 1;
  let n, lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) { n = 3; if (c === 0xe0) lo = 0xa0; if (c === 0xed) hi = 0x9f; }
  else if (c >= 0xf0 && c <= 0xf4) { n = 4; if (c === 0xf0) lo = 0x90; if (c === 0xf4) hi = 0x8f; }
  else return 0;
  if (i + n > b.length || b[i + 1] < lo || b[i + 1] > hi) return 0;
  for (let k = 2; k < n; k++) if (b[i + k] < 0x80 || b[i + k] > 0xbf) return 0;
  return n;
}

function octetsToJson(buf) {  // Buffer -> JS string by the convention
  let out = '';
  for (let i = 0; i < buf.length;) {
    const n = utf8Length(buf, i);
    if (n === 0) {
      out += String.fromCharCode(0xdc00 + buf[i]);
      i += 1;
    } else {
      out += buf.toString('utf8', i, i + n);
      i += n;
    }
  }
  return out;
}

function octetsFromJson(s, where) {  // JS string -> Buffer
  const parts = [];
  for (const ch of s) {  // by code point
    const cp = ch.codePointAt(0);
    if (cp >= 0xdc80 && cp <= 0xdcff) parts.push(Buffer.from([cp - 0xdc00]));
    else if (cp >= 0xd800 && cp <= 0xdfff) throw new InputError(where + ': a lone surrogate outside \\udc80..\\udcff');
    else parts.push(Buffer.from(ch, 'utf8'));
  }
  return Buffer.concat(parts);
}

// hpack.js wants one character per octet.
const toLatin1 = (buf) => buf.toString('latin1');
const fromLatin1 = (s) => Buffer.from(s, 'latin1');

// --- story fields ---------------------------------------------------------------------------

function where(i, c) { return 'case ' + i + (c.seqno !== undefined ? ' (seqno ' + c.seqno + ')' : ''); }

function tableSizeOf(i, c) {
  const v = c.header_table_size;
  if (v === undefined || v === null) return null;  // null means absent
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new InputError(where(i, c) + ': field "header_table_size": expected an integer in 0..4294967295');
  }
  return v;
}

function wireOf(i, c) {
  if (typeof c.wire !== 'string') throw new InputError(where(i, c) + ': field "wire": expected a hex string');
  const hex = c.wire.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new InputError(where(i, c) + ': field "wire": not hex');
  return Buffer.from(hex, 'hex');
}

function headersOf(i, c) {
  if (!Array.isArray(c.headers)) throw new InputError(where(i, c) + ': field "headers": expected an array');
  const never = new Set(c.never_indexed == null ? [] : c.never_indexed);
  return c.headers.map((h, k) => {
    const keys = h && typeof h === 'object' ? Object.keys(h) : [];
    if (keys.length !== 1 || typeof h[keys[0]] !== 'string') {
      throw new InputError(where(i, c) + ': header ' + k + ': expected {"name": "value"}');
    }
    const w = where(i, c) + ': header ' + k;
    return {
      name: toLatin1(octetsFromJson(keys[0], w)),
      value: toLatin1(octetsFromJson(h[keys[0]], w)),
      neverIndex: never.has(k),
    };
  });
}

// --- the two roles --------------------------------------------------------------------------

function decodeStory(story) {
  const decomp = hpack.decompressor.create({table: {maxSize: DEFAULT_TABLE_SIZE}});
  let error = null;
  decomp.on('error', (e) => { error = e; });
  story.cases.forEach((c, i) => {
    const wire = wireOf(i, c);
    const size = tableSizeOf(i, c);
    if (size !== null) decomp._table.protocolMaxSize = size;  // our SETTINGS_HEADER_TABLE_SIZE
    decomp.write(wire);
    try {
      decomp.execute();  // synchronous; errors are emitted as 'error'
    } catch (e) {
      error = e;
    }
    const headers = [], never = [];
    for (let h = decomp.read(); h !== null; h = decomp.read()) {
      if (h.neverIndex) never.push(headers.length);
      headers.push({[octetsToJson(fromLatin1(h.name))]: octetsToJson(fromLatin1(h.value))});
    }
    if (error) throw new BlockError(where(i, c) + ': ' + error.message, c.seqno !== undefined ? c.seqno : i);
    c.headers = headers;
    c.never_indexed = never;
    delete c.error;
  });
}

function encodeStory(story, tableSize) {
  const comp = hpack.compressor.create({table: {maxSize: tableSize}});
  if (tableSize !== DEFAULT_TABLE_SIZE) comp.updateTableSize(tableSize);
  story.cases.forEach((c, i) => {
    if (i === 0 && c.header_table_size == null && tableSize !== DEFAULT_TABLE_SIZE) {
      c.header_table_size = tableSize;
    }
    const size = tableSizeOf(i, c);
    const headers = headersOf(i, c);
    if (size !== null) comp.updateTableSize(size);  // as a user does on SETTINGS
    try {
      comp.write(headers);
    } catch (e) {
      throw new BlockError(where(i, c) + ': ' + e.message, c.seqno !== undefined ? c.seqno : i);
    }
    const out = [];
    for (let b = comp.read(); b !== null; b = comp.read()) out.push(b);
    c.wire = Buffer.concat(out).toString('hex');
  });
}

// Returns [exit status, stdout text] for one story.
function run(role, tableSize, text) {
  let story;
  try {
    story = JSON.parse(text);
    if (!story || typeof story !== 'object' || !Array.isArray(story.cases)) {
      throw new InputError('<stdin>: expected a JSON object with a "cases" array');
    }
    story.cases.forEach((c, i) => {
      if (!c || typeof c !== 'object' || Array.isArray(c)) throw new InputError('<stdin>: case ' + i + ': expected an object');
    });
    if (role === 'decode') decodeStory(story); else encodeStory(story, tableSize);
  } catch (e) {
    if (e instanceof BlockError) {
      process.stderr.write('hpackjs_adapter.js: ' + e.message + '\n');
      return [1, JSON.stringify({error: e.message, seqno: e.seqno}) + '\n'];
    }
    const message = e instanceof InputError ? e.message : e instanceof SyntaxError ? '<stdin>: invalid JSON: ' + e.message : String(e.stack || e);
    process.stderr.write('hpackjs_adapter.js: ' + message + '\n');
    return [2, ''];
  }
  return [0, JSON.stringify(story) + '\n'];
}

function isHello(line) {
  if (!line.includes('h2harness_batch')) return false;
  try {
    const j = JSON.parse(line);
    return j && typeof j === 'object' && 'h2harness_batch' in j && !('cases' in j);
  } catch (e) {
    return false;
  }
}

function main(argv) {
  let role = null, tableSize = DEFAULT_TABLE_SIZE;
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a === '-h' || a === '--help') { process.stdout.write(USAGE); return; }
    if ((a === 'decode' || a === 'encode') && role === null) { role = a; continue; }
    if (a === '--table-size' || a.startsWith('--table-size=')) {
      const v = a.includes('=') ? a.slice(13) : argv[++i];
      tableSize = /^\d+$/.test(v || '') ? Number(v) : -1;
      if (!(tableSize >= 0 && tableSize <= 0xffffffff)) {
        process.stderr.write('hpackjs_adapter.js: --table-size: expected an integer in 0..4294967295\n' + USAGE);
        process.exit(2);
      }
      continue;
    }
    process.stderr.write('hpackjs_adapter.js: unexpected argument ' + JSON.stringify(a) + '\n' + USAGE);
    process.exit(2);
  }
  if (role === null) { process.stderr.write('hpackjs_adapter.js: say decode or encode\n' + USAGE); process.exit(2); }
  if (role === 'decode' && tableSize !== DEFAULT_TABLE_SIZE) {
    process.stderr.write('hpackjs_adapter.js: --table-size is for the encode role\n' + USAGE);
    process.exit(2);
  }

  let pending = '', batch = null;
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    pending += chunk;
    if (batch === null) {
      const nl = pending.indexOf('\n');
      if (nl < 0) return;
      batch = isHello(pending.slice(0, nl));
      if (!batch) return;
      pending = pending.slice(nl + 1);
      process.stdout.write('{"h2harness_batch": 1, "never_indexed": true}\n');
    }
    if (!batch) return;  // one-shot: wait for the end of input
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (!line.trim()) continue;
      const [status, out] = run(role, tableSize, line);
      if (status === 2) process.exit(2);
      process.stdout.write(out);
    }
  });
  process.stdin.on('end', () => {
    if (batch) {
      if (pending.trim()) {
        const [status, out] = run(role, tableSize, pending);
        process.stdout.write(out);
        process.exitCode = status === 2 ? 2 : 0;
      }
      return;
    }
    const [status, out] = run(role, tableSize, pending);
    process.stdout.write(out);
    process.exitCode = status;
  });
}

main(process.argv.slice(2));
