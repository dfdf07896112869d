// The shape of a catalogue entry: a text, or plural forms chosen by Intl.PluralRules categories
// (English uses one/other; Czech one/few/many/other, `many` being fractions).
export interface PluralForms {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

export type Message = string | PluralForms;

/** Every id of the English catalogue, each with a message: a missing or extra id is a type error. */
export type Catalogue<Id extends string> = { readonly [K in Id]: Message };
