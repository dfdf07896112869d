// The industry test samples the offline detectors recognise, exported so the lab and the tests
// build their messages from the same bytes the scanner looks for.
import { buildZip, deflatedZeros } from './zip.js';

/** The EICAR anti-virus test file (68 bytes; eicar.org). */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/** The GTUBE anti-spam test string (spamassassin.apache.org/gtube). */
export const GTUBE = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';

/** Built-in Anti-Phishing test URL: always treated as phishing, like a vendor test page. */
export const PHISHING_TEST_URL = 'http://phishing-test.ksmg-lab.test/login';

/**
 * A header a test message may carry to set its base Anti-Spam rating (0–100), standing in for the
 * content heuristics of the real engine. Authentication failures add to it (see antispam.ts).
 */
export const SPAM_RATING_HEADER = 'X-KSMG-Lab-Spam-Rating';

/** A named test object a scenario can attach or put in the body (`fixture: eicar`). */
export interface SampleFixture {
  /** File name when attached. */
  name: string;
  /** MIME type when attached. */
  type: string;
  content: Buffer;
  /** What the scanner finds in it. */
  detects: string;
}

function nestedEicarZip(depth: number): Buffer {
  let z = buildZip([{ name: 'eicar.com', data: EICAR, deflate: true }]);
  for (let d = 1; d < depth; d++) z = buildZip([{ name: `level${d}.zip`, data: z }]);
  return z;
}

/** The fixtures the scanner recognises, by the names scenario files use. */
export const SAMPLE_FIXTURES: Record<string, SampleFixture> = {
  eicar: {
    name: 'eicar.com',
    type: 'application/octet-stream',
    content: Buffer.from(EICAR, 'latin1'),
    detects: 'Anti-Virus: EICAR-Test-File',
  },
  'eicar-zip': {
    name: 'eicar.zip',
    type: 'application/zip',
    content: buildZip([
      { name: 'readme.txt', data: 'test archive' },
      { name: 'eicar.com', data: EICAR, deflate: true },
    ]),
    detects: 'Anti-Virus: EICAR-Test-File inside a zip',
  },
  gtube: { name: 'gtube.txt', type: 'text/plain', content: Buffer.from(`${GTUBE}\r\n`), detects: 'Anti-Spam: spam, rate 100' },
  'phishing-link': {
    name: 'link.txt',
    type: 'text/plain',
    content: Buffer.from(`Please confirm your account: ${PHISHING_TEST_URL}\r\n`),
    detects: 'Anti-Phishing: the built-in test URL',
  },
  // Objects Anti-Virus cannot scan (status Error / Encrypted), never reported Clean.
  'zip-bomb': {
    name: 'bomb.zip',
    type: 'application/zip',
    content: buildZip([{ name: 'zeros.bin', data: '', predeflated: deflatedZeros(40) }]),
    detects: 'Anti-Virus: Error (unpacks past the size limit)',
  },
  'encrypted-zip': {
    name: 'locked.zip',
    type: 'application/zip',
    content: buildZip([{ name: 'secret.doc', data: 'not readable without the password', encrypted: true }]),
    detects: 'Anti-Virus: Encrypted (password-protected entry)',
  },
  'corrupted-zip': {
    name: 'broken.zip',
    type: 'application/zip',
    content: Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(40, 0xff)]),
    detects: 'Anti-Virus: Error (corrupted archive)',
  },
  'deep-zip': {
    name: 'deep.zip',
    type: 'application/zip',
    content: nestedEicarZip(12),
    detects: 'Anti-Virus: Error (EICAR nested past the depth limit)',
  },
  exe: {
    name: 'setup.exe',
    type: 'application/octet-stream',
    content: Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(56)]),
    detects: 'Content Filtering: an executable (MZ) for banned names/types',
  },
};
