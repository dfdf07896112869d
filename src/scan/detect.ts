// Deterministic, offline detection over the parsed message: the facts every rule's modules then
// act on. Nothing here depends on a rule, so a message is taken apart only once.
import { getHeader, decodeBody, isAttachment, leafParts, parseMessage, headerText, type MimePart } from './mime.js';
import { EICAR, GTUBE, PHISHING_TEST_URL, SPAM_RATING_HEADER } from './samples.js';
import { categorize, type FileCategory } from './sniff.js';
import { isZip, readZip } from './zip.js';

/** One scanned object: a leaf MIME part, with what is inside it when it is a zip. */
export interface ScanObject {
  part: MimePart;
  /** File name ('' for the message text). */
  name: string;
  attachment: boolean;
  category: FileCategory;
  /** Entry names inside a zip attachment (nested zips flattened, "outer.zip/inner.txt"). */
  innerNames: string[];
  /** Virus names found in this object (EICAR only, in the body, an attachment or a zip). */
  viruses: string[];
}

export interface MessageFacts {
  size: number;
  root: MimePart;
  objects: ScanObject[];
  messageId: string;
  subject: string;
  gtube: boolean;
  /** Base rating from the lab rating header (0–100), when present. */
  headerRating: number | null;
  /** All http(s) URLs in the text parts (text attachments included). */
  urls: string[];
}

export const EICAR_NAME = 'EICAR-Test-File';
const EICAR_BYTES = Buffer.from(EICAR, 'latin1');
const MAX_ZIP_DEPTH = 4;

function zipContents(data: Buffer, prefix: string, depth: number): { names: string[]; viruses: string[] } {
  const names: string[] = [];
  const viruses: string[] = [];
  for (const e of readZip(data)) {
    names.push(`${prefix}${e.name}`);
    if (!e.data) continue;
    if (e.data.includes(EICAR_BYTES)) viruses.push(EICAR_NAME);
    if (depth < MAX_ZIP_DEPTH && isZip(e.data)) {
      const inner = zipContents(e.data, `${prefix}${e.name}/`, depth + 1);
      names.push(...inner.names);
      viruses.push(...inner.viruses);
    }
  }
  return { names, viruses };
}

const URL_RE = /\bhttps?:\/\/[^\s"'<>()[\]{}]+/gi;

export function extractUrls(text: string): string[] {
  return [...text.matchAll(URL_RE)].map((m) => m[0].replace(/[.,;:!?]+$/, ''));
}

function htmlUnescape(s: string): string {
  return s.replace(/&amp;/gi, '&').replace(/&#x2f;/gi, '/').replace(/&#47;/g, '/').replace(/&colon;/gi, ':');
}

export function analyzeMessage(data: Buffer): MessageFacts {
  const root = parseMessage(data);
  const objects: ScanObject[] = [];
  const urls = new Set<string>();
  let gtube = false;
  for (const part of leafParts(root)) {
    const content = decodeBody(data, part);
    const attachment = isAttachment(part);
    const viruses: string[] = [];
    if (content.includes(EICAR_BYTES)) viruses.push(EICAR_NAME);
    let innerNames: string[] = [];
    if (isZip(content)) {
      const z = zipContents(content, '', 1);
      innerNames = z.names;
      viruses.push(...z.viruses);
    }
    // Text parts, attached or not: GTUBE and links count wherever the reader would see them.
    if (part.contentType.startsWith('text/')) {
      const text = content.toString('utf8');
      if (text.includes(GTUBE)) gtube = true;
      for (const u of extractUrls(part.contentType === 'text/html' ? htmlUnescape(text) : text)) urls.add(u);
    }
    objects.push({
      part,
      name: part.filename,
      attachment,
      category: attachment ? categorize(part.filename, content) : 'documents',
      innerNames,
      viruses: [...new Set(viruses)],
    });
  }
  const ratingText = getHeader(root.headers, SPAM_RATING_HEADER)?.value;
  const rating = ratingText !== undefined && /^\d{1,3}$/.test(ratingText.trim()) ? Math.min(100, Number(ratingText)) : null;
  return {
    size: data.length,
    root,
    objects,
    messageId: getHeader(root.headers, 'message-id')?.value ?? '',
    subject: headerText(getHeader(root.headers, 'subject')?.value ?? ''),
    gtube,
    headerRating: rating,
    urls: [...urls],
  };
}

// ---- Anti-Phishing -------------------------------------------------------------------------

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return null;
  }
}

/**
 * Phishing URLs in the message: the built-in test URL and every `messageProcessing.phishingUrls`
 * entry. An entry with a scheme is a URL prefix; without one it is a domain (and its subdomains).
 */
export function findPhishing(urls: string[], list: string[]): string[] {
  const entries = [PHISHING_TEST_URL, ...list].map((e) => e.trim()).filter(Boolean);
  const hits: string[] = [];
  for (const url of urls) {
    const lower = url.toLowerCase();
    const host = hostOf(url);
    const hit = entries.some((e) => {
      const el = e.toLowerCase();
      if (/^[a-z][a-z0-9+.-]*:\/\//.test(el)) return lower.startsWith(el) || lower.startsWith(el.replace(/\/$/, ''));
      const domain = el.replace(/^\*\./, '').replace(/\.$/, '');
      return host !== null && (host === domain || host.endsWith(`.${domain}`));
    });
    if (hit) hits.push(url);
  }
  return hits;
}

// ---- Content Filtering helpers ---------------------------------------------------------------

/** File-name mask with `*` and `?`, case-insensitive, whole name. */
export function nameMatches(mask: string, name: string): boolean {
  const body = mask.trim().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const base = name.split('/').pop() ?? name;
  const re = new RegExp(`^${body}$`, 'is');
  return re.test(name) || re.test(base);
}
