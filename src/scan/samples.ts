// The industry test samples the offline detectors recognise, exported so the lab and the tests
// build their messages from the same bytes the scanner looks for.

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
