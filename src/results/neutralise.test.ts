import { describe, expect, it } from 'vitest';
import { neutralise } from './neutralise.js';

describe('neutralise', () => {
  it.each([
    '=HYPERLINK("http://evil.example","Klick")',
    '=1+1',
    '+SUM(1)',
    '+1+1',
    '-2+3',
    '-1-1',
    '@cmd',
    '@SUM(A1)',
    '\tTab',
    '\r=1',
    '+49-721-123456',
    '-',
    '+',
    '+ 1',
    '-A1',
    '+49 721 123456 =1',
  ])('prefixes %j', (value) => {
    expect(neutralise(value)).toBe(`'${value}`);
  });

  it.each([
    '+49 721 123456',
    '+41 (0)44 123 45 67',
    '+4972112345',
    '-12,50',
    '-12.50',
    '+1.234,56',
    '-1 234,56',
    "-1'234.50",
    '-0,5',
    '-5',
    'Müller = Meier',
    'Kunde sagt: +1',
    '',
    "'=bereits",
    'a=b',
  ])('leaves %j as it is', (value) => {
    expect(neutralise(value)).toBe(value);
  });
});
