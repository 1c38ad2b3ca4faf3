import { describe, expect, it } from 'vitest';
import { resultFileName } from './file-name.js';

describe('result file names', () => {
  it('names the client, the list and the day, and marks an interim list', () => {
    expect(resultFileName({ clientCode: 'SWM', listName: 'Mahnlauf November', day: '2026-11-30', interim: false, ext: 'xlsx' })).toBe('Ergebnisliste_SWM_Mahnlauf-November_2026-11-30.xlsx');
    expect(resultFileName({ clientCode: 'SWM', listName: 'Mahnlauf November', day: '2026-11-30', interim: true, ext: 'csv' })).toBe('Ergebnisliste_SWM_Mahnlauf-November_Zwischenstand_2026-11-30.csv');
  });

  it('drops what no file system takes and keeps umlauts', () => {
    expect(resultFileName({ clientCode: 'SWM', listName: ' Rückstände: 11/2026 "Süd" ', day: '2026-11-30', interim: false, ext: 'xlsx' })).toBe('Ergebnisliste_SWM_Rückstände-112026-Süd_2026-11-30.xlsx');
  });

  it('cuts a long name after 80 code points, never inside a character, so that the download header can encode it', () => {
    const listPart = (listName: string) => resultFileName({ clientCode: 'SWM', listName, day: '2026-11-30', interim: false, ext: 'xlsx' }).split('_')[2]!;
    // 📎 is two UTF-16 units, and the 80th was its first half: a cut there left a lone surrogate.
    const name = resultFileName({ clientCode: 'SWM', listName: `${'A'.repeat(79)}📎 Teil 2`, day: '2026-11-30', interim: false, ext: 'xlsx' });
    expect(() => encodeURIComponent(name)).not.toThrow();
    expect(listPart(`${'A'.repeat(79)}📎 Teil 2`)).toBe(`${'A'.repeat(79)}📎`);
    expect([...listPart(`${'A'.repeat(79)}📎 Teil 2`)]).toHaveLength(80);
    expect(listPart(`${'A'.repeat(78)}📎B`)).toBe(`${'A'.repeat(78)}📎B`);
    // An emoji sequence (woman, joiner, girl: three code points) that does not fit goes whole.
    expect(listPart(`${'A'.repeat(78)}👩\u200d👧`)).toBe('A'.repeat(78));
    expect(listPart('Ä'.repeat(100))).toBe('Ä'.repeat(80));
  });
});
