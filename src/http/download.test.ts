import { describe, expect, it } from 'vitest';
import { attachment } from './download.js';

describe('attachment', () => {
  it('sends a plain ASCII name as it is', () => {
    expect(attachment('LE-Bericht_SWM_2026-11-01_2026-11-30.xlsx')).toBe('attachment; filename="LE-Bericht_SWM_2026-11-01_2026-11-30.xlsx"');
  });

  it('adds the RFC 5987 form for other names, with an ASCII stand-in', () => {
    expect(attachment('LE-Bericht_Müller (Süd)*.xlsx')).toBe(
      `attachment; filename="LE-Bericht_Mueller (Sued)*.xlsx"; filename*=UTF-8''LE-Bericht_M%C3%BCller%20%28S%C3%BCd%29%2A.xlsx`,
    );
  });

  it('transliterates umlauts and drops accents in the ASCII stand-in', () => {
    expect(attachment('Ergebnisliste_SWM_Rückstände_2026-11-30.xlsx')).toBe(
      `attachment; filename="Ergebnisliste_SWM_Rueckstaende_2026-11-30.xlsx"; filename*=UTF-8''Ergebnisliste_SWM_R%C3%BCckst%C3%A4nde_2026-11-30.xlsx`,
    );
    expect(attachment('Liste (Genève).xlsx')).toBe(`attachment; filename="Liste (Geneve).xlsx"; filename*=UTF-8''Liste%20%28Gen%C3%A8ve%29.xlsx`);
  });

  it('never lets a quote, backslash or line break end the header value', () => {
    expect(attachment('a"b\\c\r\nd.xlsx')).toBe(`attachment; filename="a_b_c__d.xlsx"; filename*=UTF-8''a%22b%5Cc%0D%0Ad.xlsx`);
  });
});
