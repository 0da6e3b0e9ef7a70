/** Lists leave archived objects out unless they are asked for by status. */
export function listedStatus<S extends string>(status: S | undefined): { status: S | { not: 'archived' } } {
  return { status: status ?? { not: 'archived' } };
}
