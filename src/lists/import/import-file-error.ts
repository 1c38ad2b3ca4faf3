/**
 * Why a whole file is refused (as opposed to a single row, which becomes a rejection in the
 * report). Every code maps to one HTTP status; the message says what was wrong and what is
 * allowed, in English, ready for the `{error:{code,message,details}}` envelope.
 */
export type ImportFileErrorCode =
  | 'not_spreadsheet'
  | 'xls_format'
  | 'password_protected'
  | 'corrupt'
  | 'too_large'
  | 'too_many_rows'
  | 'zip_bomb'
  | 'no_header'
  | 'no_data'
  | 'none_accepted'
  | 'missing_columns'
  | 'unclear_amount'
  | 'several_lists';

const STATUS: Record<ImportFileErrorCode, 400 | 413 | 415 | 422> = {
  not_spreadsheet: 415,
  xls_format: 415,
  password_protected: 422,
  corrupt: 422,
  too_large: 413,
  too_many_rows: 413,
  zip_bomb: 413,
  no_header: 422,
  no_data: 422,
  none_accepted: 422,
  missing_columns: 400,
  unclear_amount: 400,
  several_lists: 422,
};

/** Every code, for checks that each has its text where one is shown (the lead's German table). */
export const IMPORT_FILE_ERROR_CODES = Object.keys(STATUS) as readonly ImportFileErrorCode[];

export class ImportFileError extends Error {
  override name = 'ImportFileError';
  /** Suggested HTTP status for the error envelope (4xx; the file, not the server, is at fault). */
  readonly status: 400 | 413 | 415 | 422;

  constructor(
    readonly code: ImportFileErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const ALLOWED_FILES = 'Allowed are .xlsx workbooks (Excel 2007 or later, not password-protected) and .csv text files.';
