import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
}

/** A fresh self-signed cert per simulator: it doubles as its own CA for clients (pass `cert` as `ca`). */
export async function makeLoopbackCert(): Promise<TlsMaterial> {
  const notAfter = new Date(Date.now() + 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
