/** Logical Data Structure constants of ICAO 9303-10. */

/** The eMRTD application (LDS1) AID. */
export const EMRTD_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01);

/** Elementary file identifiers. */
export const FID = {
  EF_CARD_ACCESS: 0x011c,
  EF_ATR_INFO: 0x2f01,
  EF_COM: 0x011e,
  EF_SOD: 0x011d,
} as const;

/** A data group number 1..16. */
export type DataGroupNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16;

/** The short-file-id-free FID of a data group: 0x0101 … 0x0110. */
export function dataGroupFid(dg: DataGroupNumber): number {
  return 0x0100 + dg;
}

/** The outer tag of each data group (9303-10 Table 34). */
export const DG_TAGS: Readonly<Record<DataGroupNumber, number>> = {
  1: 0x61,
  2: 0x75,
  3: 0x63,
  4: 0x76,
  5: 0x65,
  6: 0x66,
  7: 0x67,
  8: 0x68,
  9: 0x69,
  10: 0x6a,
  11: 0x6b,
  12: 0x6c,
  13: 0x6d,
  14: 0x6e,
  15: 0x6f,
  16: 0x70,
};

/** The data group with outer tag `tag`, if any. */
export function dataGroupForTag(tag: number): DataGroupNumber | undefined {
  for (const [dg, t] of Object.entries(DG_TAGS))
    if (t === tag) return Number(dg) as DataGroupNumber;
  return undefined;
}
