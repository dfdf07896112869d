// Scenario files (ARCHITECTURE.md §7): one scenario per YAML file, validated with zod, problems
// reported as file:line:column like the config loader. Placeholders ({{local.0}}, {{untrusted}} …)
// stay in the strings here; expand.ts fills them from the config at run time.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { INTEGRATIONS, parseDuration } from '../config/schema.js';
import { evalSize } from './expand.js';

/** A reply expectation: "554 5.7.1" (prefix), a full reply, or /regex/. */
const replyPattern = z.string().min(1);

const deliveredSpec = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const recipientExpect = z
  .object({
    reply: replyPattern.optional(),
    /** none | any | internal | edge | internet | a host id, name or address | a list of them. */
    delivered: deliveredSpec.optional(),
    /** Envelope sender the delivered copy must carry ('' = null sender). */
    from: z.string().optional(),
  })
  .strict();

/** A placeholder is filled later ({{…}}); anything else must parse now. */
const laterOr = (ok: (v: string | number) => boolean) => (v: string | number) => (typeof v === 'string' && v.includes('{{')) || ok(v);

const cannedReply = z
  .object({
    stage: z.enum(['connect', 'mail', 'rcpt', 'data']).default('rcpt'),
    /** The reply code; optional when the host only drops the connection or answers slowly. */
    code: z.number().int().min(200).max(599).optional(),
    text: z.string().default('Service temporarily unavailable'),
    /** Only the first N attempts. */
    times: z.number().int().min(1).optional(),
    /** Only for this much lab time from the start of the scenario (30s, 10m …). */
    for: z.union([z.string(), z.number()]).optional(),
    /** Close the connection instead of answering (at data: after the whole message, before the reply). */
    drop: z.boolean().optional(),
    /** Stage data: close the connection after this much of the message (100, 1KB, 2MB). */
    dropAfter: z
      .union([z.string(), z.number()])
      .refine(
        laterOr((v) => evalSize(v) !== null),
        { message: 'expected a size: 100, 1KB, 2MB' },
      )
      .optional(),
    /** Answer (or accept) only after this much real time: 1s, 5s. */
    delay: z
      .union([z.string(), z.number()])
      .refine(
        laterOr((v) => parseDuration(v) !== null),
        { message: 'expected a duration: 1s, 5s' },
      )
      .optional(),
    /** Stage rcpt: only for this recipient. */
    recipient: z.string().optional(),
    /** Applies to each attempt with this probability, from a generator seeded with `seed:` (default 1). */
    chance: z.number().min(0).max(1).optional(),
    seed: z.number().int().min(0).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.code === undefined && !r.drop && r.dropAfter === undefined && r.delay === undefined) {
      ctx.addIssue({ code: 'custom', path: ['code'], message: 'a host reply needs code:, drop: true, dropAfter: or delay:' });
    }
    if (r.dropAfter !== undefined && r.stage !== 'data')
      ctx.addIssue({ code: 'custom', path: ['dropAfter'], message: 'dropAfter: only applies to stage: data' });
    if (r.recipient !== undefined && r.stage !== 'rcpt')
      ctx.addIssue({ code: 'custom', path: ['recipient'], message: 'recipient: only applies to stage: rcpt' });
    if (r.seed !== undefined && r.chance === undefined)
      ctx.addIssue({ code: 'custom', path: ['seed'], message: 'seed: only makes sense with chance:' });
  });

const hostBehaviour = z
  .object({
    reply: z.union([cannedReply, z.array(cannedReply)]).optional(),
    /** Nothing listens: connections are refused. */
    dead: z.boolean().optional(),
    /** Replace the host's user list for this scenario (full addresses). */
    users: z.array(z.string()).optional(),
    /**
     * STARTTLS on this host: `none` (not offered), `trusted` (offered with the lab's certificate,
     * which the lab's relay trusts in place of mta.tls.caFile), `untrusted` (a self-signed one).
     */
    tls: z.enum(['none', 'trusted', 'untrusted']).optional(),
  })
  .strict();

const dnsEntry = z.union([
  z.null(),
  z
    .object({
      A: z.array(z.string()).optional(),
      AAAA: z.array(z.string()).optional(),
      MX: z.array(z.object({ priority: z.number().int().min(0), exchange: z.string() }).strict()).optional(),
      TXT: z.array(z.string()).optional(),
    })
    .strict(),
]);

const attachment = z
  .object({
    name: z.string().min(1),
    fixture: z.string().optional(),
    content: z.string().optional(),
    contentType: z.string().optional(),
  })
  .strict()
  .refine((a) => a.fixture !== undefined || a.content !== undefined, { message: 'an attachment needs fixture: or content:' });

const message = z
  .object({
    subject: z.string().optional(),
    body: z.string().optional(),
    /** Adds a fixture's text to the body: gtube, phishing-link … */
    fixture: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    attachments: z.array(attachment).optional(),
    /** Pad the message to this size: 25MB, 100KB, 5000, "{{sizeLimit}}+1KB". */
    padTo: z.union([z.string(), z.number()]).optional(),
    /** The whole message as written (CRLF added); replaces the other fields. */
    raw: z.string().optional(),
  })
  .strict();

const dialogueStep = z
  .object({
    /** A command line; CRLF is added. */
    send: z.string().optional(),
    /** Bytes sent exactly as written (latin1), e.g. a smuggling payload. */
    sendRaw: z.string().optional(),
    /** Pattern the reply must match. */
    expect: replyPattern.optional(),
    /** Pattern the reply must not match. */
    expectNot: replyPattern.optional(),
    /** Read no reply after sending (pipelining a partial line). */
    noReply: z.boolean().optional(),
    /**
     * `tls: true`: the TLS handshake, after a step whose reply was 220 to STARTTLS. The step's
     * reply reads "TLS established: TLSv1.3 …" or "TLS handshake failed: …" (expect: may match it).
     */
    tls: z.literal(true).optional(),
  })
  .strict()
  .refine((s) => [s.send, s.sendRaw, s.tls].filter((v) => v !== undefined).length === 1, {
    message: 'each step needs exactly one of send:, sendRaw: or tls: true',
  });

const headerExpect = z.union([z.string(), z.literal(false)]);

const expectSchema = z
  .object({
    connect: replyPattern.optional(),
    helo: replyPattern.optional(),
    /** EHLO keywords that must / must not be advertised. */
    ehlo: z
      .object({ has: z.array(z.string()).optional(), lacks: z.array(z.string()).optional() })
      .strict()
      .optional(),
    /** Reply to STARTTLS (client.starttls: true). */
    starttls: replyPattern.optional(),
    /** true: the message was sent inside TLS (the handshake completed); false: in plaintext. */
    tls: z.boolean().optional(),
    mail: replyPattern.optional(),
    /** Reply to the DATA command (354 …). */
    data: replyPattern.optional(),
    /** Reply after the final dot (250 queued / 552 / 554 …). */
    message: replyPattern.optional(),
    recipients: z.record(z.string(), recipientExpect).optional(),
    /** Header values of the delivered copy: pattern, or false for "absent". */
    headers: z.record(z.string(), headerExpect).optional(),
    subject: replyPattern.optional(),
    attachments: z
      .object({ present: z.array(z.string()).optional(), absent: z.array(z.string()).optional() })
      .strict()
      .optional(),
    bounce: z.union([z.enum(['none', 'to-sender']), z.object({ to: z.string() }).strict()]).optional(),
    /** An in-session 5xx given to the edge gateway (it would send the sender an NDR). */
    backscatter: z.boolean().optional(),
    /** false: no delivered copy may contain a bare LF or CR (smuggling bytes forwarded downstream). */
    bareNewlines: z.boolean().optional(),
    /** Number of copies delivered to simulated hosts (bounces excluded). */
    deliveries: z.number().int().min(0).optional(),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    /** Shown when the scenario fails: what the expectation protects. */
    why: z.string().optional(),
    tags: z.array(z.string()).default([]),
    /** Integration schemes this scenario applies to (all when absent). */
    schemes: z.array(z.enum(INTEGRATIONS)).optional(),
    /** Config conditions: { "mta.advanced.messageRateLimit": ">0", "mta.destination.mode": "dns" }. */
    when: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    /** Run once per local domain ({{domain}}) or per internal mail server ({{internal}}). */
    forEach: z.enum(['localDomain', 'internalServer']).optional(),
    client: z
      .object({
        /** An IP, or trusted | untrusted | untrusted6 | edge-gateway | inbound | internal. */
        address: z.string().default('untrusted'),
        helo: z.string().default('client.lab.example'),
        /** HELO instead of EHLO. */
        useHelo: z.boolean().default(false),
        /**
         * STARTTLS after EHLO/HELO, the handshake, then EHLO/HELO again inside TLS; when the
         * reply is not 220 the session goes on in plaintext (as an opportunistic client does).
         * Not given: true when mta.tls.securityLevel is encrypt (a sender must use TLS there;
         * a dialogue then starts inside TLS), else false.
         */
        starttls: z.boolean().optional(),
      })
      .strict()
      .prefault({}),
    envelope: z
      .object({
        from: z.string(),
        to: z.array(z.string()).min(1),
        /** SIZE= parameter on MAIL FROM. */
        size: z.union([z.string(), z.number()]).optional(),
      })
      .strict()
      .optional(),
    message: message.optional(),
    dialogue: z.array(dialogueStep).min(1).optional(),
    /** Send the transaction this many times, one session each; replies are checked on the last. */
    repeat: z.union([z.string(), z.number()]).optional(),
    dns: z.record(z.string(), dnsEntry).optional(),
    /** Behaviour of simulated hosts, keyed by host selector (internal, edge, internet, host id/address). */
    hosts: z.record(z.string(), hostBehaviour).optional(),
    /** Observe after this much lab time: 0s, 400s, 3d. */
    after: z.union([z.string(), z.number()]).default(0),
    expect: expectSchema.prefault({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!s.dialogue && !s.envelope)
      ctx.addIssue({
        code: 'custom',
        path: ['envelope'],
        message: 'a scenario needs envelope: (message form) or dialogue: (protocol form)',
      });
    if (s.dialogue && s.envelope)
      ctx.addIssue({ code: 'custom', path: ['dialogue'], message: 'use either envelope:/message: or dialogue:, not both' });
  });

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioExpect = Scenario['expect'];
export type RecipientExpectation = z.output<typeof recipientExpect>;
export type DialogueStep = z.output<typeof dialogueStep>;
export type CannedReplySpec = z.output<typeof cannedReply>;

export interface LoadedScenario {
  scenario: Scenario;
  /** File it came from (relative to the pack root when loaded from a directory). */
  file: string;
  /** Stable id: pack-relative path without .yaml. */
  id: string;
}

export interface ScenarioProblem {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

export class ScenarioError extends Error {
  constructor(readonly problems: ScenarioProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

export function formatProblem(p: ScenarioProblem): string {
  const at = p.line ? `${p.file}:${p.line}:${p.column}` : p.file;
  return `${at}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

/** Parses one scenario file's text; throws ScenarioError with every problem and its position. */
export function parseScenario(text: string, file: string, id = file): LoadedScenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    throw new ScenarioError(
      doc.errors.map((e) => {
        const at = e.linePos?.[0] ?? (e.pos ? lineCounter.linePos(e.pos[0]) : { line: 0, col: 0 });
        return { file, line: at.line, column: at.col, path: '', message: `YAML syntax error: ${e.message.split('\n')[0]}` };
      }),
    );
  }
  const result = scenarioSchema.safeParse(doc.toJS());
  if (!result.success) {
    throw new ScenarioError(
      result.error.issues.map((issue) => {
        const path = issue.path as Array<string | number>;
        let pos = locate(doc, lineCounter, path);
        let message = issue.message;
        if (issue.code === 'unrecognized_keys') pos = locateKey(doc, lineCounter, path, issue.keys[0]!) ?? pos;
        if (issue.code === 'unrecognized_keys')
          message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
        return { file, line: pos.line, column: pos.col, path: formatPath(path), message };
      }),
    );
  }
  return { scenario: result.data, file, id };
}

/** Position of the deepest node on `path` that the file contains. */
function locate(doc: ReturnType<typeof parseDocument>, lc: LineCounter, path: Array<string | number>): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (node && typeof node === 'object' && 'range' in node && Array.isArray((node as { range?: number[] }).range)) {
      const range = (node as { range: number[] }).range;
      return lc.linePos(range[0]!);
    }
    if (n > 0 && (isMap(doc.contents) || isSeq(doc.contents))) continue;
  }
  return { line: 1, col: 1 };
}

/** Position of a key inside the mapping at `path` (for "unknown key" problems). */
function locateKey(
  doc: ReturnType<typeof parseDocument>,
  lc: LineCounter,
  path: Array<string | number>,
  key: string,
): { line: number; col: number } | null {
  const node = path.length ? doc.getIn(path, true) : doc.contents;
  if (!isMap(node)) return null;
  for (const pair of node.items) {
    const k = pair.key as { value?: unknown; range?: number[] } | null;
    if (k && k.value === key && k.range) return lc.linePos(k.range[0]!);
  }
  return null;
}

/** A scenario file's text, or why it could not be read. */
export interface ScenarioText {
  file: string;
  text?: string;
  error?: string;
}

/** Every *.yaml / *.yml under a directory (sorted), or the one file given, with its text; the reads run at once. */
export async function readScenarioFiles(root: string): Promise<ScenarioText[]> {
  const files = (await stat(root)).isDirectory() ? await listYaml(root) : [root];
  return Promise.all(
    files.map((file) =>
      readFile(file, 'utf8').then(
        (text) => ({ file, text }),
        (e: Error) => ({ file, error: e.message }),
      ),
    ),
  );
}

export interface LoadOptions {
  /** A file's validated form known without parsing it (the built-in packs compiled at build time, pack-cache.ts). */
  compiled?: (file: string, text: string) => Scenario | undefined;
}

/** Every *.yaml / *.yml under the given files or directories, sorted, loaded and validated. */
export async function loadScenarios(paths: string[], opts: LoadOptions = {}): Promise<LoadedScenario[]> {
  const out: LoadedScenario[] = [];
  const problems: ScenarioProblem[] = [];
  for (const root of paths) {
    let files: ScenarioText[];
    try {
      files = await readScenarioFiles(root);
    } catch {
      problems.push({ file: root, line: 0, column: 0, path: '', message: 'no such file or directory' });
      continue;
    }
    for (const { file: f, text, error } of files) {
      const id = relative(root, f).replace(/\.ya?ml$/, '') || f.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
      if (text === undefined) {
        problems.push({ file: f, line: 0, column: 0, path: '', message: error ?? 'cannot be read' });
        continue;
      }
      const known = opts.compiled?.(f, text);
      if (known) {
        out.push({ scenario: known, file: f, id });
        continue;
      }
      try {
        out.push(parseScenario(text, f, id));
      } catch (e) {
        if (e instanceof ScenarioError) problems.push(...e.problems);
        else problems.push({ file: f, line: 0, column: 0, path: '', message: (e as Error).message });
      }
    }
  }
  if (problems.length) throw new ScenarioError(problems);
  return out;
}

async function listYaml(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await listYaml(p)));
    else if (/\.ya?ml$/.test(e.name)) files.push(p);
  }
  return files;
}
