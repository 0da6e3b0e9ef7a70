/** What DELETE did: removed an object without history, or archived one that has it. */
export interface Removal {
  id: number | string;
  outcome: 'deleted' | 'archived';
  /** Why it was archived rather than deleted. */
  reason: string | null;
}
