import { describe, expect, it } from 'vitest';
import { encodeSamCommand, encodeSamResponse, parseSamResponse, samChecksum } from './SamFrame.js';
import { SamFrameDecoder } from './SamFrameDecoder.js';
import { SYNTHETIC_TEXT256 } from './__fixtures__/documentsVectors.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/gu, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

describe('SAM command frames (DOCUMENTS.md 4.2)', () => {
  it.each([
    ['reset SAM 复位', 0x10, 0xff, 'AAAAAA9669000310FFEC'],
    ['SAM status 状态检测', 0x11, 0xff, 'AAAAAA9669000311FFED'],
    ['read SAM id 管理信息', 0x12, 0xff, 'AAAAAA9669000312FFEE'],
    ['find card 寻卡', 0x20, 0x01, 'AAAAAA96690003200122'],
    ['select card 选卡', 0x20, 0x02, 'AAAAAA96690003200221'],
    ['read base info 读基本信息', 0x30, 0x01, 'AAAAAA96690003300132'],
    ['read with fingerprint', 0x30, 0x10, 'AAAAAA96690003301023'],
    ['read appended address 读追加住址', 0x30, 0x03, 'AAAAAA96690003300330'],
  ])('%s', (_name, cmd, para, frame) => {
    expect(toHex(encodeSamCommand(cmd, para))).toBe(frame);
  });

  it('set max RF bytes carries one data byte', () => {
    expect(toHex(encodeSamCommand(0x61, 0xff, Uint8Array.of(0x50)))).toBe('AAAAAA9669000461FF50CA');
  });

  it('refuses non-byte CMD/PARA synchronously', () => {
    expect(() => encodeSamCommand(0x100, 0)).toThrow(RangeError);
  });
});

describe('SAM response frames (DOCUMENTS.md 4.2)', () => {
  it.each([
    ['SAM OK', 0x90, '', 'AAAAAA96690004000090 94'],
    ['SAM self-test fail', 0x60, '', 'AAAAAA96690004000060 64'],
    ['find OK', 0x9f, '00000000', 'AAAAAA9669000800009F0000000097'],
    ['find fail', 0x80, '', 'AAAAAA9669000400008084'],
    ['select OK', 0x90, '0000000000000000', 'AAAAAA9669000C0000900000000000000000 9C'],
    ['select fail', 0x81, '', 'AAAAAA9669000400008185'],
    ['read fail', 0x41, '', 'AAAAAA9669000400004145'],
  ])('%s', (_name, sw3, data, frame) => {
    const bytes = encodeSamResponse(sw3, hex(data));
    expect(toHex(bytes)).toBe(toHex(hex(frame)));
    const events = new SamFrameDecoder().push(bytes);
    expect(events).toHaveLength(1);
    const ev = events[0]!;
    if (ev.kind !== 'frame') throw new Error('expected a frame');
    const res = parseSamResponse(ev.frame);
    expect(res).toMatchObject({ sw1: 0, sw2: 0, sw3 });
    expect(toHex(res.data)).toBe(toHex(hex(data)));
  });

  it('the synthetic read-OK frame: header AAAAAA9669050800009001000400, 1295 bytes, CHK E5', () => {
    const text = hex(SYNTHETIC_TEXT256);
    const data = new Uint8Array(4 + 256 + 1024);
    data.set([0x01, 0x00, 0x04, 0x00], 0);
    data.set(text, 4);
    const frame = encodeSamResponse(0x90, data);
    expect(frame.length).toBe(1295);
    expect(toHex(frame.subarray(0, 14))).toBe('AAAAAA9669050800009001000400');
    expect(frame[1294]).toBe(0xe5);
    expect(samChecksum(frame.subarray(5, 1294))).toBe(0xe5);
    // The ID number sits at frame offset 136 (text offset 122 + 14).
    expect(Buffer.from(frame.subarray(136, 172)).toString('utf16le')).toBe('11010519491231002X');
  });
});
