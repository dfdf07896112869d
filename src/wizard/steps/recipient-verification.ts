// Step 7: "Reject messages for recipients" — what happens to mail for addresses that do not exist.
import type { Integration } from '../../config/schema.js';
import { toAsciiDomain } from '../../config/net.js';
import { explain, given, prefer, schemeOf, type AdvancedInput, type WizardContext } from '../context.js';
import type { Choice } from '../prompts.js';
import { validateValidRecipient } from '../validate.js';
import type { Step } from './types.js';

type Mode = NonNullable<AdvancedInput['recipientVerification']>;

export const RECOMMENDED_VERIFICATION: Record<Integration, Mode> = {
  edge: 'reject-unverified',
  'behind-edge-verify': 'reject-unverified',
  'behind-edge-no-verify': 'none',
};

export const VERIFICATION_CHOICES: Array<Choice<Mode>> = [
  {
    value: 'none',
    name: 'Do not reject',
    description:
      'KSMG accepts mail for any address in your domains. Mail to an address that does not exist bounces later as a ' +
      'non-delivery report to the sender, who is often forged: backscatter. Right when the edge in front does not verify either.',
  },
  {
    value: 'reject-unverified',
    name: 'Reject unverified recipients',
    description:
      'KSMG asks the internal server whether each address exists before accepting (reject_unverified_recipient). Unknown ' +
      'addresses are refused during the SMTP session, so no bounce comes from KSMG, and a verifying edge gets a real answer.',
  },
  {
    value: 'reject-unlisted',
    name: 'Reject recipients not in a list',
    description:
      'KSMG refuses addresses missing from a list you keep (user@domain or @domain for a whole domain): no callouts, ' +
      'no backscatter, but the list must stay current or real mail is refused.',
  },
];

/** Why a valid recipient outside the local domains is pointless (KSMG refuses its mail as relaying first), or null. */
export function outsideLocalDomains(entry: string, localDomains: readonly string[]): string | null {
  const domain = toAsciiDomain(entry.slice(entry.lastIndexOf('@') + 1));
  if (!domain || localDomains.includes(domain)) return null;
  return (
    `${domain} is not one of the local domains (${localDomains.join(', ') || 'none yet'}): KSMG refuses mail for it as relaying ` +
    'before the list is consulted. Add the domain in the domains step first.'
  );
}

export const recipientVerificationStep: Step = {
  id: 'recipient-verification',
  title: 'Recipient verification',
  async run(ctx: WizardContext) {
    const scheme = schemeOf(ctx);
    const recommended = RECOMMENDED_VERIFICATION[scheme];
    const cur = { ...ctx.current?.mta.advanced, ...ctx.draft.mta?.advanced };
    const fixed = ctx.given.mta?.advanced ?? {};
    explain(
      ctx,
      'What KSMG does with mail for addresses that do not exist in your domains. Trusted networks are never checked. ' +
        `Recommended for this scheme: ${VERIFICATION_CHOICES.find((c) => c.value === recommended)!.name}.`,
    );

    let mode: Mode;
    if (fixed.recipientVerification) {
      mode = fixed.recipientVerification;
      given(ctx, 'Recipient verification', VERIFICATION_CHOICES.find((c) => c.value === mode)!.name);
    } else if (!ctx.interactive) {
      mode = prefer(ctx, cur.recipientVerification, recommended);
    } else {
      mode = await ctx.prompt.select({
        message: 'Reject messages for recipients',
        choices: VERIFICATION_CHOICES.map((c) => (c.value === recommended ? { ...c, name: `${c.name} (recommended)` } : c)),
        default: prefer(ctx, cur.recipientVerification, recommended),
      });
    }
    const advanced: Partial<AdvancedInput> = { recipientVerification: mode };

    if (mode === 'reject-unverified') {
      const code =
        fixed.unverifiedRecipientRejectCode ??
        (ctx.interactive
          ? Number(
              await ctx.prompt.select({
                message: 'Reply code for an address the internal server does not confirm',
                choices: [
                  { value: '450', name: '450 — temporary: the sender retries; nothing is lost while a server is down (KSMG default)' },
                  { value: '550', name: '550 — permanent: the sender gives up at once' },
                ],
                default: String(cur.unverifiedRecipientRejectCode ?? 450) as '450' | '550',
              }),
            )
          : (cur.unverifiedRecipientRejectCode ?? 450));
      advanced.unverifiedRecipientRejectCode = code as 450 | 550;
    }

    if (mode === 'reject-unlisted') {
      const localDomains = (ctx.draft.mta?.domains ?? ctx.current?.mta.domains ?? []).filter((d) => d.local !== false).map((d) => d.name);
      let list = fixed.validRecipients ?? (cur.validRecipients ? [...cur.validRecipients] : []);
      if (!fixed.validRecipients && ctx.interactive) {
        if (list.length > 0) {
          list = await ctx.prompt.checkbox({
            message: 'Valid recipients (space toggles, enter confirms)',
            choices: list.map((v) => ({ value: v, name: v, checked: true })),
          });
        }
        for (;;) {
          const text = await ctx.prompt.input({
            message:
              'Add a valid recipient — user@domain, or @domain to accept every address of that domain (no check there) (empty to finish)',
            validate: (v) => {
              if (v === '') return list.length > 0 ? true : 'Enter at least one: with an empty list every recipient is refused.';
              const r = validateValidRecipient(v);
              if (r !== true) return r;
              return outsideLocalDomains(v, localDomains) ?? true;
            },
          });
          if (text === '') break;
          if (!list.includes(text)) list.push(text);
        }
      }
      advanced.validRecipients = list;
    }
    ctx.draft.mta = { ...ctx.draft.mta, advanced: { ...ctx.draft.mta?.advanced, ...advanced } };
  },
};
