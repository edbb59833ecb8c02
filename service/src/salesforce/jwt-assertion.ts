import { createPrivateKey, createSign } from 'node:crypto';

/**
 * The signed assertion of the OAuth 2.0 JWT bearer flow: RS256, `iss` the consumer key, `sub`
 * the username, `aud` the login host, a short expiry (Salesforce allows up to three minutes).
 */
export function signJwtAssertion(input: {
  clientId: string;
  username: string;
  audience: string;
  privateKeyPem: string;
  now?: number;
}): string {
  const issuedAt = Math.floor((input.now ?? Date.now()) / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256' })}.${encode({
    iss: input.clientId,
    sub: input.username,
    aud: input.audience,
    exp: issuedAt + 180,
  })}`;
  const signature = createSign('RSA-SHA256')
    .update(unsigned)
    .sign(createPrivateKey(input.privateKeyPem))
    .toString('base64url');
  return `${unsigned}.${signature}`;
}

/** Whether a PEM is a private key Node can sign with. */
export function isPrivateKeyPem(pem: string): boolean {
  try {
    // The JWT bearer flow signs with RS256: Salesforce takes RSA keys only (an Ed25519 or EC key
    // parses, then fails to sign).
    return createPrivateKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}
