/** Whether a decoded request path could climb out of where it is served from: a `.` or `..` segment, a backslash or a NUL. */
export function climbsOut(decodedPath: string): boolean {
  return /[\\\0]/.test(decodedPath) || decodedPath.split('/').some((segment) => segment === '.' || segment === '..');
}
