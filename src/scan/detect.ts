// Deterministic, offline detection over the parsed message: the facts every rule's modules then
// act on. Nothing here depends on a rule, so a message is taken apart only once.
import { getHeader, decodeBody, isAttachment, leafParts, parseMessage, headerText, MIME_MAX_DEPTH, type MimePart } from './mime.js';
import { globMatch } from '../policy/glob.js';
import { EICAR, GTUBE, PHISHING_TEST_URL, SPAM_RATING_HEADER } from './samples.js';
import { categorize, type FileCategory } from './sniff.js';
import { inflateEntry, isZip, listZip, MAX_ENTRY_BYTES, type InflateBudget } from './zip.js';

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
  /**
   * Why (part of) the object could not be scanned: a corrupted archive, a budget (depth, size,
   * entries) exceeded, MIME nested too deep. Anti-Virus gives it the status Error — never Clean.
   */
  errors: string[];
  /** Password-protected entries (Anti-Virus status Encrypted). */
  encrypted: string[];
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
  /**
   * The message as a whole could not be scanned (time or memory budget, scanner failure): no
   * object list can be trusted, every scanning module reports it.
   */
  failure?: string;
}

export const EICAR_NAME = 'EICAR-Test-File';
const EICAR_BYTES = Buffer.from(EICAR, 'latin1');
const GTUBE_BYTES = Buffer.from(GTUBE, 'latin1');
const SCHEME_END = Buffer.from('://', 'latin1');

/** Budgets for one message's archives: nothing an attacker sends can make them unbounded. */
export interface ScanLimits {
  /** Archive nesting: a zip inside a zip … deeper than this is not unpacked (status Error). */
  maxZipDepth: number;
  /** Inflated bytes of every archive entry in the message together. */
  maxInflatedBytes: number;
  /** Entry names listed per message. */
  maxZipEntries: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxZipDepth: 8, maxInflatedBytes: 64 * 1024 * 1024, maxZipEntries: 20000 };

/** Searches a stream of chunks for a byte pattern (a match may span chunks). */
class StreamSearch {
  private tail = Buffer.alloc(0);
  found = false;
  constructor(private readonly needle: Buffer) {}
  push(chunk: Buffer): void {
    if (this.found) return;
    const keep = this.needle.length - 1;
    // A match inside the chunk, or one that starts in the previous chunk's last bytes.
    if (chunk.includes(this.needle) || (this.tail.length && Buffer.concat([this.tail, chunk.subarray(0, keep)]).includes(this.needle))) {
      this.found = true;
      return;
    }
    this.tail = chunk.length >= keep ? Buffer.from(chunk.subarray(chunk.length - keep)) : Buffer.concat([this.tail, chunk]).subarray(-keep);
  }
}

interface ArchiveScan {
  names: string[];
  viruses: string[];
  errors: string[];
  encrypted: string[];
}

/**
 * The archive and every archive inside it, breadth-first from an explicit work list (no
 * recursion: a fan-out or deeply nested zip cannot overflow the stack). Each entry is inflated as
 * a stream; only an entry that is itself a zip is kept in memory, within the shared budget.
 */
function scanArchive(data: Buffer, label: string, limits: ScanLimits, budget: InflateBudget, counter: { entries: number }): ArchiveScan {
  const out: ArchiveScan = { names: [], viruses: [], errors: [], encrypted: [] };
  const work: Array<{ data: Buffer; prefix: string; depth: number }> = [{ data, prefix: '', depth: 1 }];
  while (work.length) {
    const item = work.shift()!;
    const listing = listZip(item.data);
    if (listing.problem) out.errors.push(`${label}${item.prefix ? `/${item.prefix.slice(0, -1)}` : ''}: ${listing.problem}`);
    // Overlapping entries are a zip bomb: none of them is inflated.
    if (listing.problem?.startsWith('overlapping')) continue;
    for (const e of listing.entries) {
      const path = `${item.prefix}${e.name}`;
      if (++counter.entries > limits.maxZipEntries) {
        out.errors.push(`more than ${limits.maxZipEntries} archive entries in the message`);
        return out;
      }
      out.names.push(path);
      const eicar = new StreamSearch(EICAR_BYTES);
      let head: Buffer | null = null;
      let nested: Buffer[] | null = null;
      const r = inflateEntry(item.data, e, budget, (chunk) => {
        if (head === null) {
          head = Buffer.from(chunk.subarray(0, 4));
          if (isZip(head)) nested = [];
        }
        eicar.push(chunk);
        nested?.push(Buffer.from(chunk));
      });
      if (eicar.found) out.viruses.push(EICAR_NAME);
      if (r === 'encrypted') out.encrypted.push(`${label}/${path}`);
      else if (r === 'unsupported') out.errors.push(`${label}/${path}: compression method ${e.method} not supported`);
      else if (r === 'corrupted') out.errors.push(`${label}/${path}: corrupted`);
      else if (r === 'over-budget')
        out.errors.push(
          `${label}/${path}: unpacked size over the scan limit (${MAX_ENTRY_BYTES} bytes per entry, ${limits.maxInflatedBytes} per message)`,
        );
      if (r !== 'ok' || !nested) continue;
      if (item.depth >= limits.maxZipDepth) out.errors.push(`${label}/${path}: archive nested deeper than ${limits.maxZipDepth} levels`);
      else work.push({ data: Buffer.concat(nested), prefix: `${path}/`, depth: item.depth + 1 });
    }
  }
  return out;
}

const URL_RE = /\bhttps?:\/\/[^\s"'<>()[\]{}]+/gi;

/** Trailing punctuation is not part of a link (a loop: `/[.,;:!?]+$/` backtracks quadratically). */
function trimPunctuation(u: string): string {
  let end = u.length;
  while (end > 0 && '.,;:!?'.includes(u[end - 1]!)) end--;
  return u.slice(0, end);
}

export function extractUrls(text: string): string[] {
  return [...text.matchAll(URL_RE)].map((m) => trimPunctuation(m[0]));
}

function htmlUnescape(s: string): string {
  return s
    .replace(/&amp;/gi, '&')
    .replace(/&#x2f;/gi, '/')
    .replace(/&#47;/g, '/')
    .replace(/&colon;/gi, ':');
}

export function analyzeMessage(data: Buffer, limits: ScanLimits = DEFAULT_SCAN_LIMITS): MessageFacts {
  return analyzeParsed(data, parseMessage(data), limits);
}

/** Messages up to this size may be analysed in the relay's main thread (analyzeInline). */
export const INLINE_ANALYSIS_LIMIT = 64 * 1024;

/**
 * The analysis of a message that cannot be slow, or null: at most INLINE_ANALYSIS_LIMIT bytes,
 * one text part (no MIME structure to walk, nothing attached) whose decoded body is not an
 * archive — every step is then one linear pass over at most 64 KB and nothing is inflated, so the
 * relay's main thread does it in well under a millisecond, instead of handing the message to a
 * worker thread and back (a copy each way and two thread wake-ups, the worker's queue under load).
 * Anything else goes to the worker pool, under its time and memory budget.
 */
export function analyzeInline(data: Buffer, limits: ScanLimits = DEFAULT_SCAN_LIMITS): MessageFacts | null {
  if (data.length > INLINE_ANALYSIS_LIMIT) return null;
  const root = parseMessage(data);
  if (root.children.length > 0 || root.tooDeep || !root.contentType.startsWith('text/')) return null;
  if (isZip(decodeBody(data, root))) return null;
  return analyzeParsed(data, root, limits);
}

function analyzeParsed(data: Buffer, root: MimePart, limits: ScanLimits): MessageFacts {
  const objects: ScanObject[] = [];
  const urls = new Set<string>();
  const budget: InflateBudget = { remaining: limits.maxInflatedBytes };
  const counter = { entries: 0 };
  let gtube = false;
  for (const part of leafParts(root)) {
    const content = decodeBody(data, part);
    const attachment = isAttachment(part);
    const viruses: string[] = [];
    const errors: string[] = [];
    let encrypted: string[] = [];
    if (part.tooDeep) errors.push(`MIME structure nested deeper than ${MIME_MAX_DEPTH} levels (part ${part.path})`);
    if (content.includes(EICAR_BYTES)) viruses.push(EICAR_NAME);
    let innerNames: string[] = [];
    if (isZip(content)) {
      const z = scanArchive(content, part.filename || `part ${part.path || '1'}`, limits, budget, counter);
      innerNames = z.names;
      for (const v of z.viruses) viruses.push(v);
      for (const e of z.errors) errors.push(e);
      encrypted = z.encrypted;
    }
    // Text parts, attached or not: GTUBE and links count wherever the reader would see them.
    if (part.contentType.startsWith('text/')) {
      // GTUBE is ASCII, and UTF-8 decoding never takes an ASCII byte into another character (a
      // bad sequence ends before it): the bytes hold it exactly when the text does.
      if (content.includes(GTUBE_BYTES)) gtube = true;
      // A link needs "://" in the text (in HTML it may be written with entities): without it
      // no megabyte of text is decoded for nothing.
      const html = part.contentType === 'text/html';
      if (html || content.includes(SCHEME_END)) {
        const text = content.toString('utf8');
        for (const u of extractUrls(html ? htmlUnescape(text) : text)) urls.add(u);
      }
    }
    objects.push({
      part,
      name: part.filename,
      attachment,
      category: attachment ? categorize(part.filename, content) : 'documents',
      innerNames,
      viruses: [...new Set(viruses)],
      errors,
      encrypted,
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

/** Facts for a message the scanner could not take apart at all (budget exceeded, crash). */
export function unscannedFacts(data: Buffer, failure: string): MessageFacts {
  const root: MimePart = {
    path: '',
    start: 0,
    bodyStart: 0,
    end: data.length,
    headers: [],
    contentType: 'text/plain',
    params: {},
    disposition: '',
    filename: '',
    encoding: '7bit',
    children: [],
    isMessage: true,
  };
  return { size: data.length, root, objects: [], messageId: '', subject: '', gtube: false, headerRating: null, urls: [], failure };
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
  const m = mask.trim();
  const base = name.slice(name.lastIndexOf('/') + 1);
  return globMatch(m, name) || globMatch(m, base);
}
