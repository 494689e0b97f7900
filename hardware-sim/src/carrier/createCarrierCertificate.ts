import { createHash, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** A TLS certificate and key for the reference carrier, generated on the spot. */
export interface CarrierCertificate {
  /** The certificate, PEM (give it to the daemon as `registration.tls.caFile`). */
  readonly certPem: string;
  /** Its PKCS #8 private key, PEM (only the carrier needs it). */
  readonly keyPem: string;
  /** SHA-256 of the certificate's DER, upper-case hex with colons (`openssl x509 -fingerprint -sha256`). */
  readonly fingerprint256: string;
}

/**
 * A self-signed ECDSA P-256 server certificate for the reference carrier (tests and the
 * simulator), valid for a day for `hosts` (IP addresses and DNS names; default `127.0.0.1` and
 * `localhost`). Every call makes a new key: two calls give two carriers that do not trust each
 * other's certificate (an impostor, in the HTTPS tests).
 */
export async function createCarrierCertificate(
  options: { hosts?: readonly string[]; commonName?: string } = {},
): Promise<CarrierCertificate> {
  const hosts = options.hosts ?? ['127.0.0.1', 'localhost'];
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = (await webcrypto.subtle.generateKey(alg, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: createHash('sha256')
      .update(String(now) + Math.random())
      .digest('hex')
      .slice(0, 16),
    name: `CN=${options.commonName ?? 'kycd reference carrier'}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 24 * 3600_000),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        hosts.map((h) =>
          isIP(h) === 0 ? { type: 'dns' as const, value: h } : { type: 'ip' as const, value: h },
        ),
      ),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
  const fingerprint256 = createHash('sha256')
    .update(Buffer.from(cert.rawData))
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
  return { certPem: cert.toString('pem'), keyPem, fingerprint256 };
}
