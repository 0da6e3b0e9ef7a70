import { MappingDocument } from '../mapping-document';

/** A well-known partner's postback format, selectable by name ("preset": "keitaro") and overridable field by field. */
export interface PartnerPreset {
  name: string;
  title: string;
  /** Where the format comes from: the vendor's own documentation. */
  sources: string[];
  /**
   * What the partner is told to call. {base} is postback-ingest's public URL, {token} the
   * advertiser's postback token; the rest are the partner's own macros, as its documentation spells them.
   */
  request: { method: 'GET' | 'POST'; url: string; body?: string };
  /** How a status change or refund reaches us in this format. */
  statusChanges: string;
  mapping: Omit<MappingDocument, 'preset'>;
}

export const PRESETS: readonly PartnerPreset[] = [];

export const PARTNER_PRESETS: ReadonlyMap<string, PartnerPreset> = new Map(PRESETS.map((preset) => [preset.name, preset]));
