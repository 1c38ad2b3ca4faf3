/**
 * Writes the sample client list used by the README for a first import:
 *
 *   npx tsx examples/make-sample-list.ts
 *
 * → examples/mahnliste-stadtwerke-muster.xlsx  (300 customers, two title rows, German headers,
 *   extra columns, a formula column, 3 deliberately bad rows)
 * → examples/mahnliste-stadtwerke-muster.csv   (the first 25 customers as German Excel writes
 *   CSV: Windows-1252, `;`, decimal comma)
 *
 * Deterministic (seeded), so re-running produces the same data. All people are invented. German
 * phone numbers come from the Bundesnetzagentur's "drama numbers" (never assigned: 030 23125xxx,
 * 069 90009xxx, 040 66969xxx, 0221 4710xxx, 089 99998xxx, mobile 0152 28817386); Austrian and
 * Swiss numbers are random numbers in valid ranges.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

const here = dirname(fileURLToPath(import.meta.url));
const XLSX_PATH = join(here, 'mahnliste-stadtwerke-muster.xlsx');
const CSV_PATH = join(here, 'mahnliste-stadtwerke-muster.csv');
const CUSTOMERS = 300;

/** mulberry32: a tiny seeded PRNG, good enough for sample data. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20261103);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

const FIRST = ['Anna', 'Jürgen', 'Sabine', 'Thomas', 'Małgorzata', 'Mehmet', 'Petra', 'Lukas', 'Sophie', 'Hans-Peter', 'Zoë', 'Ömer', 'Katrin', 'Stefan', 'Elif', 'Renate', 'Björn', 'Julia', 'Dieter', 'Ana'];
const LAST = ['Müller', 'Weiß', 'Schäfer', 'Groß', 'Köhler', 'Becker', 'Özdemir', 'Schmidt', 'Nowak', 'Fischer', 'Krämer', 'Wagner', 'Hoffmann', 'Yılmaz', 'Schröder', 'Neumann', 'Zimmermann', 'Lehmann', 'Brandt', 'Kuhn'];
const STREETS = ['Hauptstraße', 'Bahnhofstraße', 'Am Lindenweg', 'Goethestraße', 'Schillerplatz', 'Mühlgasse', 'Kirchstraße', 'Rosenstraße', 'Im Grünen Winkel', 'Bergstraße'];

const DE_PLACES = [
  { city: 'Berlin', plz: ['10115', '10437', '12043', '13353'], phone: (n: string) => `030 23125${n}` },
  { city: 'Frankfurt am Main', plz: ['60311', '60385', '65929'], phone: (n: string) => `069 90009${n}` },
  { city: 'Hamburg', plz: ['20095', '22041', '22767'], phone: (n: string) => `040 66969${n}` },
  { city: 'Köln', plz: ['50667', '50823', '51105'], phone: (n: string) => `0221 4710${n}` },
  { city: 'München', plz: ['80331', '80796', '81379'], phone: (n: string) => `089 99998${n}` },
];
const FOREIGN = [
  { country: 'Österreich', city: 'Wien', plz: '1010', phone: () => `01 ${int(5000000, 5999999)}` },
  { country: 'Österreich', city: 'Graz', plz: '8010', phone: () => `0316 ${int(500000, 599999)}` },
  { country: 'Österreich', city: 'Salzburg', plz: '5020', phone: () => `0664 ${int(4000000, 4999999)}` },
  { country: 'Schweiz', city: 'Zürich', plz: '8001', phone: () => `044 ${int(500, 599)} ${int(10, 99)} ${int(10, 99)}` },
  { country: 'Schweiz', city: 'Genève', plz: '1201', phone: () => `+41 22 ${int(500, 599)} ${int(10, 99)} ${int(10, 99)}` },
  { country: 'Schweiz', city: 'Basel', plz: '4051', phone: () => `061 ${int(500, 599)} ${int(10, 99)} ${int(10, 99)}` },
];

interface Customer {
  customerNo: number;
  name: string;
  street: string;
  plz: string;
  city: string;
  country: string;
  phone: string | number | null;
  principal: number | string;
  fees: number;
  account: string;
  due: Date;
  level: number;
}

/** Phone numbers written the many ways clients write them; a few as numbers (Excel dropped the 0). */
function writePhone(national: string, i: number): string | number {
  const digits = national.replace(/\s/g, '');
  switch (i % 9) {
    case 1: return `+49 ${digits.slice(1, digits.startsWith('02') ? 4 : 3)} ${digits.slice(digits.startsWith('02') ? 4 : 3)}`;
    case 3: return `(${national.split(' ')[0]}) ${national.split(' ')[1]}`;
    case 5: return `${national.split(' ')[0]}/${national.split(' ')[1]}`;
    case 7: return Number(digits.slice(1));
    default: return national;
  }
}

function makeCustomers(): Customer[] {
  const customers: Customer[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const foreign = i % 50 === 17 || i % 50 === 42 ? pick(FOREIGN) : null;
    const place = pick(DE_PLACES);
    const principal = Math.round((20 + random() ** 3 * 2400) * 100) / 100;
    const customer: Customer = {
      customerNo: 4000100 + i * 7,
      name: `${pick(FIRST)} ${pick(LAST)}`,
      street: `${pick(STREETS)} ${int(1, 120)}${random() < 0.1 ? 'a' : ''}`,
      plz: foreign ? foreign.plz : pick(place.plz),
      city: foreign ? foreign.city : place.city,
      country: foreign ? foreign.country : '',
      phone: foreign ? foreign.phone() : i === 123 ? '0152 28817386' : writePhone(place.phone(String(i % 1000).padStart(3, '0')), i),
      principal: i % 11 === 4 ? formatGerman(principal) + ' €' : principal,
      fees: pick([0, 2.5, 5, 7.5]),
      account: `2100${String(int(10000000, 99999999))}`,
      due: new Date(Date.UTC(2026, 8, int(1, 30))),
      level: pick([1, 2, 2, 3]),
    };
    customers.push(customer);
  }
  // Three deliberately bad rows for the rejection report.
  customers[57]!.phone = null; // missing phone
  customers[141]!.principal = 'abc'; // amount is not a number
  customers[230]!.customerNo = customers[229]!.customerNo; // duplicate customer number
  return customers;
}

function formatGerman(n: number): string {
  return n.toLocaleString('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

const HEADER = ['Kunden-Nr.', 'Name', 'Straße', 'PLZ', 'Ort', 'Land', 'Telefon', 'Hauptforderung', 'Mahngebühren', 'Offener Betrag (EUR)', 'Vertragskonto', 'Fälligkeit', 'Mahnstufe'];

async function writeXlsx(customers: Customer[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Stadtwerke Muster GmbH';
  wb.created = new Date(Date.UTC(2026, 10, 3, 8));
  wb.modified = wb.created;
  const ws = wb.addWorksheet('Mahnliste');
  ws.addRow(['Stadtwerke Muster GmbH – Mahnliste November 2026']).font = { bold: true, size: 14 };
  const stand = ws.addRow(['Stand:', new Date(Date.UTC(2026, 10, 3))]);
  stand.getCell(2).numFmt = 'dd.mm.yyyy';
  ws.addRow([]);
  const header = ws.addRow(HEADER);
  header.font = { bold: true };
  customers.forEach((c) => {
    const r = ws.rowCount + 1;
    const total = typeof c.principal === 'number' ? Math.round((c.principal + c.fees) * 100) / 100 : undefined;
    const row = ws.addRow([
      c.customerNo, c.name, c.street, c.plz, c.city, c.country, c.phone, c.principal, c.fees,
      typeof c.principal === 'number' ? { formula: `H${r}+I${r}`, result: total } : c.principal,
      c.account, c.due, c.level,
    ]);
    for (const col of [8, 9, 10]) row.getCell(col).numFmt = '#,##0.00 "€"';
    row.getCell(12).numFmt = 'dd.mm.yyyy';
  });
  ws.columns.forEach((col, i) => (col.width = [12, 24, 24, 8, 18, 12, 20, 14, 12, 18, 16, 12, 10][i] ?? 12));
  ws.views = [{ state: 'frozen', ySplit: 4 }];
  await wb.xlsx.writeFile(XLSX_PATH);
}

/** Excel writes `?` for characters Windows-1252 lacks (ł, ı); keep the sample clean instead. */
function fitsCp1252(text: string): boolean {
  return iconv.decode(iconv.encode(text, 'win1252'), 'win1252') === text;
}

function writeCsv(customers: Customer[]): void {
  const cell = (v: string) => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [
    ['Stadtwerke Muster GmbH – Mahnliste November 2026', ...HEADER.slice(1).map(() => '')],
    ['Stand:', '03.11.2026', ...HEADER.slice(2).map(() => '')],
    HEADER,
    ...customers.filter((c) => fitsCp1252(c.name)).slice(0, 25).map((c) => {
      const principal = typeof c.principal === 'number' ? c.principal : null;
      return [
        String(c.customerNo), c.name, c.street, c.plz, c.city, c.country,
        typeof c.phone === 'number' ? String(c.phone) : (c.phone ?? ''),
        principal === null ? String(c.principal) : formatGerman(principal), formatGerman(c.fees),
        principal === null ? String(c.principal) : formatGerman(principal + c.fees),
        c.account, c.due.toLocaleDateString('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }), String(c.level),
      ];
    }),
  ];
  writeFileSync(CSV_PATH, iconv.encode(lines.map((l) => l.map(cell).join(';')).join('\r\n') + '\r\n', 'win1252'));
}

const customers = makeCustomers();
await writeXlsx(customers);
writeCsv(customers);
console.log(`wrote ${XLSX_PATH} and ${CSV_PATH} (${customers.length} customers, 3 bad rows: 61 missing phone, 145 amount "abc", 234 duplicate customer number)`);
