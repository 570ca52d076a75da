import { sniffFormat } from '../../src/media/media-format';

const ftyp = (major: string, ...compatible: string[]) => {
  const box = Buffer.alloc(16 + 4 * compatible.length);
  box.writeUInt32BE(box.length, 0);
  box.write(`ftyp${major}`, 4, 'latin1');
  compatible.forEach((brand, i) => box.write(brand, 16 + 4 * i, 'latin1'));
  return Buffer.concat([box, Buffer.alloc(16)]);
};

describe('the type of an upload, from its first bytes', () => {
  test.each<[string, Buffer, string | null]>([
    ['JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), 'jpeg'],
    ['PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), 'png'],
    [
      'WebP',
      Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]),
      'webp',
    ],
    ['AVIF', ftyp('avif', 'mif1', 'avif'), 'avif'],
    ['AVIF behind a generic brand', ftyp('mif1', 'mif1', 'avif'), 'avif'],
    ['HEIC', ftyp('heic', 'mif1', 'heic'), 'heic'],
    ['HEIC behind a generic brand', ftyp('mif1', 'mif1', 'heic'), 'heic'],
    ['an MP4 video', ftyp('isom', 'isom', 'mp41'), null],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), null],
    ['GIF', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), null],
    ['a zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]), null],
    [
      'a RIFF that is not WebP (WAV)',
      Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE')]),
      null,
    ],
    ['two bytes of JPEG', Buffer.from([0xff, 0xd8]), null],
    ['nothing', Buffer.alloc(0), null],
  ])('%s', (_name, bytes, expected) => {
    expect(sniffFormat(bytes)).toBe(expected);
  });
});
