import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { EF, TestPki, VirtualEmrtd, createSampleHolder } from '@kycd/hardware-sim';
import * as x509 from '@peculiar/x509';
import { SodFile } from '../icao/files/SodFile.js';
import { encodeTlv } from '../icao/tlv/BerTlv.js';
import { encodeOid } from '../icao/tlv/oid.js';
import { concat } from '../icao/bytes.js';
import { CscaTrustStore, parseMasterList } from './CscaTrustStore.js';
import { verifyPassiveAuthentication } from './PassiveAuthentication.js';

let pki: TestPki;
let sod: SodFile;
let dataGroups: Map<number, Uint8Array>;
let cscaDer: Uint8Array;

beforeAll(async () => {
  pki = await TestPki.create();
  const card = await VirtualEmrtd.create({ holder: await createSampleHolder(), pki });
  const files = card.files.files;
  sod = SodFile.parse(files.get(EF.sod)!);
  dataGroups = new Map([
    [1, files.get(EF.dg1)!],
    [2, files.get(EF.dg2)!],
  ]);
  cscaDer = new Uint8Array(pki.csca.certificate.rawData);
});

/** An ICAO CSCA master list (CMS SignedData over CscaMasterList), unsigned: the loader does not verify it. */
function masterList(certs: Uint8Array[]): Uint8Array {
  const content = encodeTlv(
    0x30,
    concat(encodeTlv(0x02, Uint8Array.of(0)), encodeTlv(0x31, concat(...certs))),
  );
  const eci = encodeTlv(
    0x30,
    concat(encodeTlv(0x06, encodeOid('2.23.136.1.1.2')), encodeTlv(0xa0, encodeTlv(0x04, content))),
  );
  const signedData = encodeTlv(
    0x30,
    concat(
      encodeTlv(0x02, Uint8Array.of(3)),
      encodeTlv(0x31, new Uint8Array(0)),
      eci,
      encodeTlv(0x31, new Uint8Array(0)),
    ),
  );
  return encodeTlv(
    0x30,
    concat(encodeTlv(0x06, encodeOid('1.2.840.113549.1.7.2')), encodeTlv(0xa0, signedData)),
  );
}

async function crlRevoking(serialHex: string | undefined): Promise<Uint8Array> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: pki.csca.certificate.subject,
    signingKey: pki.csca.privateKey,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    thisUpdate: new Date(Date.now() - 86_400_000),
    nextUpdate: new Date(Date.now() + 86_400_000),
    entries:
      serialHex === undefined
        ? []
        : [{ serialNumber: serialHex, revocationDate: new Date(Date.now() - 3_600_000) }],
  });
  return new Uint8Array(crl.rawData);
}

describe('Passive Authentication', () => {
  it('passes every step with the CSCA in the trust store', () => {
    const r = verifyPassiveAuthentication({
      sod,
      dataGroups,
      trustStore: CscaTrustStore.fromCertificates([cscaDer]),
    });
    expect(r).toMatchObject({
      sodSignature: { status: 'passed' },
      dataGroupHashes: { status: 'passed' },
      certificateChain: { status: 'passed' },
      certificateValidity: { status: 'passed' },
      revocation: { status: 'not_run' },
      check: { status: 'passed' },
    });
    expect(sod.hashAlgorithm).toBe('sha256');
    expect([...sod.dataGroupHashes.keys()]).toEqual(expect.arrayContaining([1, 2]));
  });

  it('fails the hash check for a modified data group, and the chain check for an unknown CSCA', async () => {
    const tampered = new Map(dataGroups);
    const dg1 = Uint8Array.from(dataGroups.get(1)!);
    dg1[dg1.length - 1] = dg1[dg1.length - 1]! ^ 1;
    tampered.set(1, dg1);
    expect(
      verifyPassiveAuthentication({
        sod,
        dataGroups: tampered,
        trustStore: CscaTrustStore.fromCertificates([cscaDer]),
      }).check,
    ).toMatchObject({ status: 'failed', code: 'document_hash_mismatch' });
    const other = await TestPki.create({ cscaName: 'another CSCA' });
    expect(
      verifyPassiveAuthentication({
        sod,
        dataGroups,
        trustStore: CscaTrustStore.fromCertificates([
          new Uint8Array(other.csca.certificate.rawData),
        ]),
      }).check,
    ).toMatchObject({ status: 'failed', code: 'document_ds_untrusted' });
  });

  it('checks validity at the given time', () => {
    const r = verifyPassiveAuthentication({
      sod,
      dataGroups,
      trustStore: CscaTrustStore.fromCertificates([cscaDer]),
      now: new Date('2090-01-01'),
    });
    expect(r.check).toMatchObject({ status: 'failed', code: 'document_certificate_expired' });
  });

  it('loads certificates, CRLs and master lists from a directory; a revoked DS fails', async () => {
    const ds = new X509Certificate(Buffer.from(sod.certificates[0]!));
    const dir = await mkdtemp(join(tmpdir(), 'kycd-csca-'));
    await writeFile(join(dir, 'csca.pem'), pki.csca.certificate.toString('pem'));
    await writeFile(join(dir, 'garbage.der'), 'not a certificate');
    await writeFile(join(dir, 'empty.crl'), await crlRevoking(undefined));
    const store = await CscaTrustStore.fromDirectory(dir);
    expect(store.certificates).toHaveLength(1);
    expect(store.crls).toHaveLength(1);
    expect(store.loadErrors.map((e) => e.file)).toEqual([join(dir, 'garbage.der')]);
    expect(verifyPassiveAuthentication({ sod, dataGroups, trustStore: store })).toMatchObject({
      revocation: { status: 'passed' },
      check: { status: 'passed' },
    });

    const revokedDir = await mkdtemp(join(tmpdir(), 'kycd-csca-'));
    await writeFile(join(revokedDir, 'icao.ml'), masterList([cscaDer]));
    await writeFile(join(revokedDir, 'revoked.crl'), await crlRevoking(ds.serialNumber));
    const revokedStore = await CscaTrustStore.fromDirectory(revokedDir);
    expect(revokedStore.loadErrors).toEqual([]);
    expect(revokedStore.certificates).toHaveLength(1);
    expect(
      verifyPassiveAuthentication({ sod, dataGroups, trustStore: revokedStore }).check,
    ).toMatchObject({ status: 'failed', code: 'document_certificate_revoked' });
  });

  async function crl(options: {
    signer?: TestPki;
    revoke?: string[];
    thisUpdate?: Date;
    nextUpdate?: Date;
  }): Promise<Uint8Array> {
    const signer = options.signer ?? pki;
    const list = await x509.X509CrlGenerator.create({
      issuer: pki.csca.certificate.subject,
      signingKey: signer.csca.privateKey,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      thisUpdate: options.thisUpdate ?? new Date(Date.now() - 86_400_000),
      nextUpdate: options.nextUpdate ?? new Date(Date.now() + 86_400_000),
      entries: (options.revoke ?? []).map((serialNumber) => ({
        serialNumber,
        revocationDate: new Date(Date.now() - 3_600_000),
      })),
    });
    return new Uint8Array(list.rawData);
  }
  const verify = (crls: Uint8Array[], extraCscas: Uint8Array[] = []) =>
    verifyPassiveAuthentication({
      sod,
      dataGroups,
      trustStore: CscaTrustStore.fromCertificates([cscaDer, ...extraCscas], crls),
    });

  it('reports a CRL past its nextUpdate as stale (revocation not established), yet honours what it lists', async () => {
    const stale = await crl({
      thisUpdate: new Date(Date.now() - 40 * 86_400_000),
      nextUpdate: new Date(Date.now() - 10 * 86_400_000),
    });
    const r = verify([stale]);
    expect(r.revocation).toMatchObject({
      status: 'not_run',
      code: 'document_crl_stale',
      reason: expect.stringMatching(/out of date/),
    });
    expect(r.check.status).toBe('passed');
    const ds = new X509Certificate(Buffer.from(sod.certificates[0]!));
    const staleRevoking = await crl({
      revoke: [ds.serialNumber],
      thisUpdate: new Date(Date.now() - 40 * 86_400_000),
      nextUpdate: new Date(Date.now() - 10 * 86_400_000),
    });
    expect(verify([staleRevoking]).check).toMatchObject({
      status: 'failed',
      code: 'document_certificate_revoked',
    });
    // a CRL issued after the verification time is not usable either
    expect(
      verifyPassiveAuthentication({
        sod,
        dataGroups,
        trustStore: CscaTrustStore.fromCertificates([cscaDer], [await crl({})]),
        now: new Date(Date.now() - 5 * 86_400_000),
      }).revocation,
    ).toMatchObject({ code: 'document_crl_stale' });
  });

  it('reports a CRL whose signature does not verify instead of dropping it: revocation failed, not genuine', async () => {
    const impostor = await TestPki.create(); // same CSCA name, another key
    const r = verify([await crl({ signer: impostor })]);
    expect(r.revocation).toMatchObject({ status: 'failed', code: 'document_crl_invalid' });
    expect(r.check).toMatchObject({ status: 'failed', code: 'document_crl_invalid' });
    // the same CRL verifies once that key is a trusted CSCA of the same name (a renewed CSCA key)
    expect(
      verify([await crl({ signer: impostor })], [new Uint8Array(impostor.csca.certificate.rawData)])
        .revocation.status,
    ).toBe('passed');
  });

  it('checks the CSCA against its CRLs too', async () => {
    const r = verify([await crl({ revoke: [pki.csca.certificate.serialNumber] })]);
    expect(r.revocation).toMatchObject({
      status: 'failed',
      code: 'document_certificate_revoked',
      reason: expect.stringMatching(/CSCA certificate/),
    });
    expect(r.check.status).toBe('failed');
  });

  it('parses a master list', () => {
    expect(parseMasterList(masterList([cscaDer, cscaDer]))).toHaveLength(2);
  });

  it('reports the chain as not run with an empty store (never passed)', () => {
    expect(
      verifyPassiveAuthentication({ sod, dataGroups, trustStore: CscaTrustStore.empty() }).check,
    ).toMatchObject({ status: 'not_run', code: 'document_trust_store_empty' });
  });
});
