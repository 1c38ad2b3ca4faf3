/**
 * Spreadsheet formula injection (OWASP "CSV injection"): a text that Excel or LibreOffice would
 * run as a formula when the file is opened (CSV) or the cell is edited (xlsx) is prefixed with
 * `'`, which both show as text. DESIGN.md section 8: a text starting with `=`, `@`, tab or CR,
 * or with `+`/`-` followed by more than a plain number or phone number.
 *
 * Plain numbers stay as they are: `-12,50`, `+1.234,56`, `-0.5`. So do phone numbers written
 * with `+`, digits and spaces (`+49 721 123456`, `+41 (0)44 123 45 67`). `+49-721-123456` is
 * neutralised: Excel would compute 49 − 721 − 123456.
 */
const PLAIN_NUMBER = /^[+-]\d{1,3}(?:(?:[.' ]\d{3})+|\d*)(?:[.,]\d+)?$/;
const PHONE_NUMBER = /^\+\d[\d ]*(?:\(0\)[\d ]*)?\d$/;

export function neutralise(text: string): string {
  const first = text.charAt(0);
  if (first === '=' || first === '@' || first === '\t' || first === '\r') return `'${text}`;
  if (first === '+' || first === '-') {
    if (PLAIN_NUMBER.test(text) || PHONE_NUMBER.test(text)) return text;
    return `'${text}`;
  }
  return text;
}
