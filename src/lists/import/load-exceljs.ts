import type ExcelJS from 'exceljs';

/**
 * exceljs, loaded at first use: an API process that never reads or writes a workbook (most of
 * them, most of the day) does not carry its ~7 MB of heap and ~25 MB of RSS.
 */
export async function loadExcelJS(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}
