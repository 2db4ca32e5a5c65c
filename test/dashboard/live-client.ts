// A minimal MJPEG reader for tests: counts parts and keeps the last JPEG.
import { request, type ClientRequest } from 'node:http';

export interface MjpegClient {
  frames: Buffer[];
  status: number;
  close(): void;
}

export function openMjpeg(url: string, cookie: string): Promise<MjpegClient> {
  return new Promise((resolve, reject) => {
    const frames: Buffer[] = [];
    let buf = Buffer.alloc(0);
    const req: ClientRequest = request(url, { headers: { cookie } });
    req.on('error', reject);
    req.on('response', (res) => {
      const client: MjpegClient = { frames, status: res.statusCode ?? 0, close: () => req.destroy() };
      res.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        for (;;) {
          const head = buf.indexOf('\r\n\r\n');
          if (head < 0) return;
          const m = /Content-Length: (\d+)/i.exec(buf.subarray(0, head).toString());
          if (!m) return;
          const len = Number(m[1]);
          if (buf.length < head + 4 + len + 2) return;
          frames.push(buf.subarray(head + 4, head + 4 + len));
          buf = buf.subarray(head + 4 + len + 2);
        }
      });
      res.on('error', () => undefined);
      resolve(client);
    });
    req.end();
  });
}
