import { describe, expect, it } from 'vitest';
import { defaultSchedulingSettings } from '../scheduling/settings.js';
import { settingsFromText } from './load-case.js';

describe('settingsFromText', () => {
  it('gives one shared, frozen object per stored text, and a new one when the text changes', () => {
    const text = JSON.stringify(defaultSchedulingSettings);
    const first = settingsFromText(text);
    expect(first).toEqual(defaultSchedulingSettings);
    expect(settingsFromText(text)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.callingHours) && Object.isFrozen(first.callingHours.mon)).toBe(true);
    expect(() => {
      (first as { maxAttempts: number }).maxAttempts = 9;
    }).toThrow(TypeError);
    const changed = settingsFromText(JSON.stringify({ ...defaultSchedulingSettings, maxAttempts: 5 }));
    expect(changed).not.toBe(first);
    expect(changed.maxAttempts).toBe(5);
  });
});
