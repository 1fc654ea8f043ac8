/** The password rule the server enforces (SPEC §3): at least 8 characters and 3 of upper/lower/digit/symbol. */
export function passwordClasses(pw: string): number {
  let n = 0;
  if (/[A-Z]/.test(pw)) n++;
  if (/[a-z]/.test(pw)) n++;
  if (/[0-9]/.test(pw)) n++;
  if (/[^A-Za-z0-9]/.test(pw)) n++;
  return n;
}

export function isStrongPassword(pw: string): boolean {
  return pw.length >= 8 && passwordClasses(pw) >= 3;
}
