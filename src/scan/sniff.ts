// File-type categories for Content Filtering (KSMG's: archives, databases, executables, graphics,
// multimedia, documents, other). Content first — magic bytes cannot be renamed away — then the
// extension for formats without a signature (scripts, plain-text types).
import type { FILE_CATEGORIES } from '../config/schema.js';
import { zipEntryNames, isZip } from './zip.js';

export type FileCategory = (typeof FILE_CATEGORIES)[number];

const startsWith = (b: Buffer, sig: number[] | string, at = 0): boolean => {
  const bytes = typeof sig === 'string' ? Buffer.from(sig, 'latin1') : Buffer.from(sig);
  return b.length >= at + bytes.length && b.subarray(at, at + bytes.length).equals(bytes);
};

const EXT: Record<string, FileCategory> = {};
const add = (cat: FileCategory, exts: string) => exts.split(' ').forEach((e) => (EXT[e] = cat));
add(
  'executables',
  'exe com scr pif cpl dll sys msi msp bat cmd ps1 psm1 vbs vbe js jse wsf wsh hta sh bash csh ksh py pl rb jar apk app elf bin run lnk reg scf inf',
);
add('archives', 'zip rar 7z gz tgz bz2 tbz xz txz tar cab arj lzh lha z iso zst');
add('documents', 'pdf doc docx docm dot dotx xls xlsx xlsm xlt ppt pptx pptm pps rtf odt ods odp txt csv xml html htm md eml msg');
add('graphics', 'png jpg jpeg gif bmp tif tiff webp ico svg heic psd');
add('multimedia', 'mp3 wav ogg oga flac aac m4a wma mp4 m4v mov avi wmv mkv webm mpg mpeg flv 3gp');
add('databases', 'db sqlite sqlite3 mdb accdb dbf frm ibd sql');

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot === -1 ? '' : name.slice(dot + 1).toLowerCase();
}

/** Category from the content's signature, or null when the bytes say nothing. */
export function sniffContent(b: Buffer): FileCategory | null {
  // Executables: PE (MZ), ELF, Mach-O (32/64, both byte orders, fat), shebang scripts.
  if (startsWith(b, 'MZ') || startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return 'executables';
  for (const m of [
    [0xfe, 0xed, 0xfa, 0xce],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xcf, 0xfa, 0xed, 0xfe],
    [0xca, 0xfe, 0xba, 0xbe],
  ]) {
    if (startsWith(b, m)) return 'executables';
  }
  if (startsWith(b, '#!')) return 'executables';
  // Documents that are containers: OOXML/ODF are zips, OLE2 covers .doc/.xls/.ppt (and .msi).
  if (isZip(b)) {
    const names = zipEntryNames(b);
    if (names.includes('[Content_Types].xml') || names.includes('mimetype')) return 'documents';
    if (names.includes('META-INF/MANIFEST.MF') || names.includes('AndroidManifest.xml')) return 'executables';
    return 'archives';
  }
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'documents';
  if (startsWith(b, '%PDF-') || startsWith(b, '{\\rtf')) return 'documents';
  // Archives
  if (startsWith(b, 'Rar!\x1a\x07') || startsWith(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return 'archives';
  if (startsWith(b, [0x1f, 0x8b]) || startsWith(b, 'BZh') || startsWith(b, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'archives';
  if (startsWith(b, 'MSCF') || startsWith(b, 'ustar', 257) || startsWith(b, [0x28, 0xb5, 0x2f, 0xfd])) return 'archives';
  // Graphics
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) || startsWith(b, [0xff, 0xd8, 0xff])) return 'graphics';
  if (startsWith(b, 'GIF87a') || startsWith(b, 'GIF89a') || startsWith(b, 'BM') || startsWith(b, '8BPS')) return 'graphics';
  if (startsWith(b, 'II*\0') || startsWith(b, 'MM\0*') || startsWith(b, [0, 0, 1, 0])) return 'graphics';
  if (startsWith(b, 'RIFF') && startsWith(b, 'WEBP', 8)) return 'graphics';
  // Multimedia
  if (startsWith(b, 'RIFF') && (startsWith(b, 'WAVE', 8) || startsWith(b, 'AVI ', 8))) return 'multimedia';
  if (startsWith(b, 'ID3') || startsWith(b, [0xff, 0xfb]) || startsWith(b, 'OggS') || startsWith(b, 'fLaC')) return 'multimedia';
  if (startsWith(b, 'ftyp', 4) || startsWith(b, [0x1a, 0x45, 0xdf, 0xa3]) || startsWith(b, [0x00, 0x00, 0x01, 0xba])) return 'multimedia';
  if (startsWith(b, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return 'multimedia';
  // Databases
  if (startsWith(b, 'SQLite format 3\0') || startsWith(b, 'Standard Jet DB', 4) || startsWith(b, 'Standard ACE DB', 4)) return 'databases';
  return null;
}

/** The category of an attachment: its content's signature, else its extension, else "other". */
export function categorize(name: string, content: Buffer): FileCategory {
  const byContent = sniffContent(content);
  const byExt = EXT[extensionOf(name)];
  // An OLE2 .msi is an installer, not a document.
  if (byContent === 'documents' && byExt === 'executables') return 'executables';
  return byContent ?? byExt ?? 'other';
}
