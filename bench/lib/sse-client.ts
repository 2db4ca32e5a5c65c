// A dashboard live-event client in its own process, so the moment an event is read is not
// delayed by work on the daemon's event loop. Prints one JSON line per line of interest:
//   {"type":"connected","at":ms}  once the stream is open
//   {"type":"alert","at":ms,"data":{...}}  for every `alert` event (at = Date.now() on receipt)
//   node dist/bench/lib/sse-client.js URL COOKIE
import { request } from 'node:http';

const [url, cookie] = process.argv.slice(2);
if (!url || !cookie) {
  process.stderr.write('usage: sse-client.js URL COOKIE\n');
  process.exit(2);
}

const out = (line: Record<string, unknown>): void => {
  process.stdout.write(JSON.stringify(line) + '\n');
};

const req = request(url, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
  if (res.statusCode !== 200) {
    process.stderr.write(`sse-client: HTTP ${res.statusCode ?? '?'}\n`);
    process.exit(1);
  }
  out({ type: 'connected', at: Date.now() });
  res.setEncoding('utf8');
  let buf = '';
  res.on('data', (chunk: string) => {
    const at = Date.now();
    buf += chunk;
    let end;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (event === 'alert') out({ type: 'alert', at, data: JSON.parse(data.join('\n')) as unknown });
    }
  });
  res.on('end', () => process.exit(0));
});
req.on('error', (err) => {
  process.stderr.write(`sse-client: ${err.message}\n`);
  process.exit(1);
});
req.end();
process.on('SIGTERM', () => process.exit(0));
