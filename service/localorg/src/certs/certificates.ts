import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import forge from 'node-forge';

/**
 * A self-signed certificate authority and a server certificate it signs, generated on first
 * start and kept in a directory, so clients can trust the CA file once
 * (`NODE_EXTRA_CA_CERTS`, a `ca` option, or an explicit trust setting).
 */

export interface LocalCertificates {
  /** Path of the CA certificate clients should trust. */
  caPath: string;
  caPem: string;
  /** Server private key and certificate (PEM), valid for localhost and 127.0.0.1. */
  key: string;
  cert: string;
}

const FILES = { ca: 'ca.pem', caKey: 'ca-key.pem', cert: 'server.pem', key: 'server-key.pem' };

function newKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function serial(): string {
  // Positive serial: clear the top bit.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function issueCa(): { certPem: string; keyPem: string } {
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 86_400_000);
  const subject = [
    { name: 'commonName', value: 'Pryzm Local Org CA' },
    { name: 'organizationName', value: 'Pryzm Connector local org' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privatePem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

function issueServer(
  caCertPem: string,
  caKeyPem: string,
  hosts: string[],
): { certPem: string; keyPem: string } {
  const keys = newKeyPair();
  const ca = forge.pki.certificateFromPem(caCertPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  // Under 398 days, the longest lifetime TLS clients accept for server certificates.
  cert.validity.notAfter = new Date(Date.now() + 390 * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: hosts.map((h) =>
        /^[\d.]+$|:/.test(h) ? { type: 7, ip: h } : { type: 2, value: h },
      ),
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(caKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

/**
 * Loads the CA and server certificate from `dir`, creating whichever is missing (or expired).
 * `hosts` are the server certificate's names: localhost, 127.0.0.1 and ::1 by default.
 */
export function ensureCertificates(
  dir: string,
  hosts: string[] = ['localhost', '*.localhost', '127.0.0.1', '::1'],
): LocalCertificates {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  const path = (f: string): string => join(root, f);
  const valid = (f: string): boolean => {
    if (!existsSync(path(f))) return false;
    const cert = forge.pki.certificateFromPem(readFileSync(path(f), 'utf8'));
    return cert.validity.notAfter.getTime() > Date.now() + 86_400_000;
  };
  let renewServer = false;
  if (!valid(FILES.ca) || !existsSync(path(FILES.caKey))) {
    const ca = issueCa();
    writeFileSync(path(FILES.ca), ca.certPem);
    writeFileSync(path(FILES.caKey), ca.keyPem, { mode: 0o600 });
    renewServer = true;
  }
  if (renewServer || !valid(FILES.cert) || !existsSync(path(FILES.key))) {
    const server = issueServer(
      readFileSync(path(FILES.ca), 'utf8'),
      readFileSync(path(FILES.caKey), 'utf8'),
      hosts,
    );
    writeFileSync(path(FILES.cert), server.certPem);
    writeFileSync(path(FILES.key), server.keyPem, { mode: 0o600 });
  }
  return {
    caPath: path(FILES.ca),
    caPem: readFileSync(path(FILES.ca), 'utf8'),
    key: readFileSync(path(FILES.key), 'utf8'),
    cert: readFileSync(path(FILES.cert), 'utf8'),
  };
}
