import { createSign, generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

/** A key pair and self-signed certificate, as a connected app's JWT bearer setup uses. */
export function jwtKeyAndCertificate(): { privateKeyPem: string; certificatePem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const attrs = [{ name: 'commonName', value: 'pryzm-jwt' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  return { privateKeyPem, certificatePem: forge.pki.certificateToPem(cert) };
}

export function signJwt(claims: Record<string, unknown>, privateKeyPem: string): string {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ alg: 'RS256' })}.${enc(claims)}`;
  const signature = createSign('RSA-SHA256')
    .update(input)
    .sign(privateKeyPem)
    .toString('base64url');
  return `${input}.${signature}`;
}
