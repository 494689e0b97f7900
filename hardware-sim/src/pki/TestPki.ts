import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY = 24 * 60 * 60 * 1000;

/** A certificate with its private key (a CSCA or a Document Signer). */
export interface TestSigner {
  readonly certificate: x509.X509Certificate;
  readonly privateKey: webcrypto.CryptoKey;
}

/** Options of {@link TestPki.create}. */
export interface TestPkiOptions {
  /** Two-letter country for the subject names (default "UT", Utopia). */
  readonly country?: string;
  /** Common name of the CSCA (default "kycd test CSCA"). */
  readonly cscaName?: string;
}

/** Options of {@link TestPki.issueDocumentSigner}. */
export interface DocumentSignerOptions {
  /** Issue a DS whose validity ended a year ago (the `expiredDs` fault). */
  readonly expired?: boolean;
  readonly commonName?: string;
  /** The DS key: ECDSA P-256 (default) or RSA 2048 (EF.SOD then signed with PKCS#1 v1.5 or RSA-PSS). */
  readonly keyType?: 'ec' | 'rsa';
}

const RSA_2048 = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
} as const;

function name(country: string, cn: string): string {
  return `C=${country}, O=kycd simulator, OU=Passport, CN=${cn}`;
}

/**
 * The simulator's own ICAO PKI (9303-12): a self-signed Country Signing CA and Document Signer
 * certificates it issues, all ECDSA P-256 with SHA-256. Write the CSCA to a directory with
 * {@link TestPki.writeTrustStore} so a host can use it as its trust store.
 *
 * @example
 * const pki = await TestPki.create();
 * const ds = await pki.issueDocumentSigner();
 * await pki.writeTrustStore('/tmp/csca');
 */
export class TestPki {
  readonly country: string;
  readonly csca: TestSigner;

  private constructor(country: string, csca: TestSigner) {
    this.country = country;
    this.csca = csca;
  }

  /** Generates a fresh CSCA key pair and self-signed certificate (valid from 5 years ago for 20 years). */
  static async create(options: TestPkiOptions = {}): Promise<TestPki> {
    const country = options.country ?? 'UT';
    const keys = (await webcrypto.subtle.generateKey(ECDSA_P256, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const now = Date.now();
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomSerial(),
      name: name(country, options.cscaName ?? 'kycd test CSCA'),
      notBefore: new Date(now - 5 * 365 * DAY),
      notAfter: new Date(now + 15 * 365 * DAY),
      keys,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return new TestPki(country, { certificate, privateKey: keys.privateKey });
  }

  /** Issues a Document Signer certificate under this CSCA (valid now, or expired when asked; an EC or RSA key). */
  async issueDocumentSigner(options: DocumentSignerOptions = {}): Promise<TestSigner> {
    const keys = (await webcrypto.subtle.generateKey(
      options.keyType === 'rsa' ? RSA_2048 : ECDSA_P256,
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const now = Date.now();
    const notBefore = options.expired ? new Date(now - 3 * 365 * DAY) : new Date(now - 30 * DAY);
    const notAfter = options.expired ? new Date(now - 365 * DAY) : new Date(now + 10 * 365 * DAY);
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: name(this.country, options.commonName ?? 'kycd test Document Signer'),
      issuer: this.csca.certificate.subject,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: this.csca.privateKey,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        await x509.AuthorityKeyIdentifierExtension.create(this.csca.certificate.publicKey),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return { certificate, privateKey: keys.privateKey };
  }

  /**
   * Writes the CSCA certificate into `dir` (created if missing) as `<name>.pem` and `<name>.der`;
   * resolves the paths written.
   */
  async writeTrustStore(dir: string, fileName = 'kycd-test-csca'): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const pem = join(dir, `${fileName}.pem`);
    const der = join(dir, `${fileName}.der`);
    await writeFile(pem, this.csca.certificate.toString('pem') + '\n');
    await writeFile(der, new Uint8Array(this.csca.certificate.rawData));
    return [pem, der];
  }
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(8));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}
