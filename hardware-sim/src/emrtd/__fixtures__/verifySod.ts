import { createHash, verify, X509Certificate as NodeX509 } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import type { Certificate } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { parseTlvs, tlv } from '../Tlv.js';

/** What an independent check of EF.SOD found (test fixture, @peculiar tooling + node:crypto). */
export interface SodCheck {
  readonly signatureValid: boolean;
  readonly chainValid: boolean;
  readonly dsValidNow: boolean;
  readonly hashes: Map<number, string>;
  readonly ds: x509.X509Certificate;
}

/** Parses EF.SOD with @peculiar/asn1-cms and checks its signature, the DS chain to `csca`, and collects the DG hashes. */
export async function verifySod(efSod: Uint8Array, csca: x509.X509Certificate): Promise<SodCheck> {
  const outer = parseTlvs(efSod)[0];
  if (outer?.tag !== 0x77) throw new Error('EF.SOD must be tag 77');
  const contentInfo = AsnConvert.parse(outer.value, ContentInfo);
  const signedData = AsnConvert.parse(contentInfo.content, SignedData);
  const ldsBytes = new Uint8Array(
    signedData.encapContentInfo.eContent?.single?.buffer ?? new ArrayBuffer(0),
  );
  const certificate = signedData.certificates?.[0]?.certificate;
  if (!certificate) throw new Error('no DS certificate in EF.SOD');
  const ds = new x509.X509Certificate(AsnConvert.serialize(certificate as Certificate));
  const signer = signedData.signerInfos[0];
  if (!signer?.signedAttrs) throw new Error('no signed attributes');
  // the signature covers the DER of the attributes as a SET (RFC 5652 §5.4), in their encoded order
  const signedAttrs = tlv(
    0x31,
    ...signer.signedAttrs.map((attribute) => new Uint8Array(AsnConvert.serialize(attribute))),
  );
  const nodeDs = new NodeX509(Buffer.from(ds.rawData));
  const signatureValid = verify(
    'sha256',
    signedAttrs,
    { key: nodeDs.publicKey, dsaEncoding: 'der' },
    new Uint8Array(signer.signature.buffer),
  );
  const digestAttr = signer.signedAttrs?.find((a) => a.attrType === '1.2.840.113549.1.9.4');
  const digestValue = digestAttr?.attrValues[0];
  const messageDigestOk =
    digestValue !== undefined &&
    Buffer.from(digestValue).subarray(2).equals(createHash('sha256').update(ldsBytes).digest());
  const chainValid = await ds.verify({ publicKey: csca.publicKey, signatureOnly: true });
  const now = new Date();
  const dsValidNow = ds.notBefore <= now && now <= ds.notAfter;
  const lds = parseTlvs(parseTlvs(ldsBytes)[0]?.value ?? new Uint8Array(0));
  const hashes = new Map<number, string>();
  for (const entry of parseTlvs(lds[2]?.value ?? new Uint8Array(0))) {
    const [num, hash] = parseTlvs(entry.value);
    hashes.set(num?.value[0] ?? -1, Buffer.from(hash?.value ?? []).toString('hex'));
  }
  return { signatureValid: signatureValid && messageDigestOk, chainValid, dsValidNow, hashes, ds };
}
