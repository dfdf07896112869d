// KSMG 2.x web-UI locations (reference/ksmg-product.md; seed 000 for the behind-edge steps).
export const UI = {
  domains: 'Settings > Built-in MTA > Domains',
  basic: 'Settings > Built-in MTA > Basic settings',
  destination: 'Settings > Built-in MTA > Basic settings > Email destination address',
  trustedNetworks: 'Settings > Built-in MTA > Basic settings > Trusted networks',
  advanced: 'Settings > Built-in MTA > Advanced settings',
  recipientVerification: 'Settings > Built-in MTA > Advanced settings > Reject messages for recipients',
  bcc: 'Settings > Built-in MTA > Advanced settings > BCC address for all messages',
  /** The queue timing fields exist only in the KSMG 1.1 console, not in the 2.x web UI. */
  queueTiming: 'Settings > MTA > Advanced settings (KSMG 1.1 console; these fields are not in the 2.x web UI)',
  externalServices: 'Settings > General > Protection > External services',
  messageProcessing: 'Settings > General > Message processing',
  rules: 'Rules',
} as const;
