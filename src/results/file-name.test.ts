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
});
