#!/usr/bin/env node
// Generates children.csv (120 valid, fictional birth records) and children-with-errors.csv (a few
// valid rows plus rows that each break one rule) deterministically: same script, same bytes.
// Run from the repo root: node examples/data/generate-children.mjs
// Every person, record number and office here is invented. Place names are real towns, used only so
// that the records look plausible; facility and office names are marked "(fictional)".
import { writeFileSync } from 'node:fs';

// Must equal `[CHILD_DID_COLUMN, ...flattenedClaimsColumns]` from @cradle/core (a test checks it).
const COLUMNS = [
  'childDid',
  'givenName', 'familyName', 'birthDate', 'sex',
  'placeOfBirth.locality', 'placeOfBirth.region', 'placeOfBirth.country', 'placeOfBirth.facility',
  'registrationNumber', 'registrationDate', 'registeringOffice.name', 'registeringOffice.code',
  'parents[0].role', 'parents[0].reference', 'parents[1].role', 'parents[1].reference',
  'parents[2].role', 'parents[2].reference', 'parents[3].role', 'parents[3].reference',
];

// Mulberry32: tiny seeded PRNG, so the output never changes between runs or machines.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(20261123);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

const REGIONS = [
  {
    country: 'KE', office: 'KSM', officeName: 'Kisumu Civil Registration Office (fictional)',
    places: [['Kisumu', 'Kisumu County'], ['Maseno', 'Kisumu County'], ['Kakamega', 'Kakamega County']],
    female: ['Amina', 'Wanjiru', 'Achieng', 'Njeri', 'Akinyi', 'Nafula'],
    male: ['Otieno', 'Kamau', 'Baraka', 'Kiptoo', 'Ochieng', 'Mutua'],
    family: ['Odhiambo', 'Wekesa', 'Mwangi', 'Chebet', 'Okoth', 'Nyambura'],
  },
  {
    country: 'UG', office: 'GUL', officeName: 'Gulu Registration Office (fictional)',
    places: [['Gulu', 'Northern Region'], ['Lira', 'Northern Region']],
    female: ['Apio', 'Nakato', 'Auma', 'Aber'], male: ['Okello', 'Mugisha', 'Opio', 'Ssali'],
    family: ['Ocen', 'Nabirye', 'Akello', 'Kato'],
  },
  {
    country: 'NG', office: 'KAN', officeName: 'Kano Birth Registry (fictional)',
    places: [['Kano', 'Kano State'], ['Ibadan', 'Oyo State'], ['Enugu', 'Enugu State']],
    female: ['Ngozi', 'Aisha', 'Funmilayo', 'Chiamaka', 'Zainab'], male: ['Chinedu', 'Musa', 'Tunde', 'Ifeanyi', 'Sani'],
    family: ['Adebayo', 'Okafor', 'Bello', 'Eze', 'Abubakar'],
  },
  {
    country: 'SN', office: 'THS', officeName: 'Centre d’état civil de Thiès (fictional)',
    places: [['Thiès', 'Thiès'], ['Saint-Louis', 'Saint-Louis']],
    female: ['Awa', 'Fatou', 'Mariama', 'Khady'], male: ['Mamadou', 'Ousmane', 'Cheikh', 'Ibrahima'],
    family: ['Diop', 'Ndiaye', 'Fall', 'Sow'],
  },
  {
    country: 'BD', office: 'SYL', officeName: 'Sylhet Union Registrar (fictional)',
    places: [['Sylhet', 'Sylhet Division'], ['Cox’s Bazar', 'Chittagong Division']],
    female: ['Nusrat', 'Farzana', 'Ayesha', 'Sharmin'], male: ['Rahim', 'Tanvir', 'Arif', 'Sabbir'],
    family: ['Hossain', 'Rahman', 'Chowdhury', 'Begum'],
  },
  {
    country: 'NP', office: 'PKR', officeName: 'Pokhara Ward Registration Office (fictional)',
    places: [['Pokhara', 'Gandaki'], ['Butwal', 'Lumbini']],
    female: ['Sita', 'Anjali', 'Pema', 'Sunita'], male: ['Bikash', 'Ramesh', 'Tenzing', 'Suraj'],
    family: ['Gurung', 'Thapa', 'Sherpa', 'Adhikari'],
  },
  {
    country: 'PH', office: 'DVO', officeName: 'Davao City Civil Registry (fictional)',
    places: [['Davao City', 'Davao Region'], ['Cebu City', 'Central Visayas']],
    female: ['Maria Luz', 'Angelica', 'Rosalie', 'Jasmine'], male: ['Jose Miguel', 'Paolo', 'Rommel', 'Carlo'],
    family: ['Dela Cruz', 'Santos', 'Bautista', 'Villanueva'],
  },
  {
    country: 'VN', office: 'HUE', officeName: 'Huế Civil Status Office (fictional)',
    places: [['Huế', 'Thừa Thiên Huế'], ['Cần Thơ', 'Cần Thơ']],
    female: ['Thị Lan', 'Ngọc Anh', 'Thu Hà'], male: ['Văn Minh', 'Quốc Bảo', 'Đức Anh'],
    family: ['Nguyễn', 'Trần', 'Lê', 'Phạm'],
  },
  {
    country: 'GT', office: 'QTZ', officeName: 'Registro Nacional de las Personas, Quetzaltenango (fictional)',
    places: [['Quetzaltenango', 'Quetzaltenango'], ['Cobán', 'Alta Verapaz']],
    female: ['María José', 'Ixchel', 'Lucía', 'Rosa'], male: ['Juan Carlos', 'Kevin', 'Diego', 'Mateo'],
    family: ['López', 'Xicará', 'Pérez', 'Tzul'],
  },
  {
    country: 'PE', office: 'CUZ', officeName: 'RENIEC Oficina Cusco (fictional)',
    places: [['Cusco', 'Cusco'], ['Puno', 'Puno']],
    female: ['Killa', 'Valeria', 'Camila'], male: ['Inti', 'Santiago', 'Luis Ángel'],
    family: ['Quispe', 'Mamani', 'Huamán', 'Condori'],
  },
  {
    country: 'JO', office: 'MAF', officeName: 'Mafraq Civil Status Office (fictional)',
    places: [['Mafraq', 'Mafraq Governorate'], ['Irbid', 'Irbid Governorate']],
    female: ['Layla', 'Rania', 'Noor', 'Hala'], male: ['Omar', 'Yousef', 'Karim', 'Sami'],
    family: ['Haddad', 'Al-Masri', 'Khalil', 'Nasser'],
  },
  {
    country: 'MD', office: 'BAL', officeName: 'Bălți Civil Status Office (fictional)',
    places: [['Bălți', 'Bălți'], ['Cahul', 'Cahul']],
    female: ['Ana', 'Elena', 'Mihaela'], male: ['Ion', 'Andrei', 'Vasile'],
    family: ['Rusu', 'Ciobanu', 'Popa', 'Ceban'],
  },
];

const FACILITIES = ['District Hospital', 'Health Centre', 'Maternity Clinic', 'Community Birthing Unit'];
const DAY = 86_400_000;
const FIRST = Date.UTC(2015, 0, 1);
const LAST = Date.UTC(2026, 9, 31); // registrations end 2026-11-20 at the latest (tests freeze 2026-11-23)
const iso = (t) => new Date(t).toISOString().slice(0, 10);

function child(n) {
  const r = REGIONS[n % REGIONS.length];
  const sexRoll = rand();
  const sex = sexRoll < 0.48 ? 'female' : sexRoll < 0.96 ? 'male' : sexRoll < 0.98 ? 'unknown' : 'other';
  const givenName = pick(sex === 'female' ? r.female : sex === 'male' ? r.male : [...r.female, ...r.male]);
  const [locality, region] = pick(r.places);
  const born = FIRST + int(0, Math.floor((LAST - FIRST) / DAY)) * DAY;
  const registered = Math.min(born + int(0, 60) * DAY, Date.UTC(2026, 10, 20));
  const year = new Date(born).getUTCFullYear();
  const homeBirth = rand() < 0.15;
  const person = () => `urn:cradle:registry:person:${r.office}-P-${String(int(100000, 999999))}`;
  const parentCount = pick([0, 1, 2, 2, 2, 2]);
  const roles = parentCount === 1 ? [pick(['mother', 'mother', 'guardian', 'parent'])] : parentCount === 2 ? [pick(['mother', 'parent']), pick(['father', 'parent'])] : [];
  const row = {
    childDid: '',
    givenName,
    familyName: pick(r.family),
    birthDate: iso(born),
    sex,
    'placeOfBirth.locality': locality,
    'placeOfBirth.region': region,
    'placeOfBirth.country': r.country,
    'placeOfBirth.facility': homeBirth ? '' : `${locality} ${pick(FACILITIES)} (fictional)`,
    registrationNumber: `${r.office}-${year}-${String(n + 1).padStart(6, '0')}`,
    registrationDate: iso(registered),
    'registeringOffice.name': r.officeName,
    'registeringOffice.code': `${r.office}-01`,
  };
  roles.forEach((role, i) => {
    row[`parents[${i}].role`] = role;
    row[`parents[${i}].reference`] = person();
  });
  return row;
}

function csv(rows) {
  const cell = (v = '') => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [COLUMNS.join(','), ...rows.map((row) => COLUMNS.map((c) => cell(row[c])).join(','))].join('\n') + '\n';
}

const children = Array.from({ length: 120 }, (_, n) => child(n));
const here = new URL('.', import.meta.url);
writeFileSync(new URL('children.csv', here), csv(children));

// Rows 1-3 are valid; each later row breaks exactly one rule (see README.md for the expected errors).
const base = children.slice(0, 9).map((c) => ({ ...c }));
const bad = [
  base[0],
  base[1],
  base[2],
  { ...base[3], givenName: '' },
  { ...base[4], 'placeOfBirth.country': 'XX' },
  { ...base[5], birthDate: '2031-01-01', registrationDate: '2031-01-02' },
  { ...base[6], registrationDate: '2014-12-31' },
  { ...base[7], sex: 'F' },
  { ...base[8], 'parents[0].role': 'mother', 'parents[0].reference': 'Mary Achieng' },
  { ...base[0], registrationNumber: 'KSM-2019-999901', birthDate: '2023-02-30', registrationDate: '2023-03-05' },
];
writeFileSync(new URL('children-with-errors.csv', here), csv(bad));
console.log(`wrote children.csv (${children.length} rows) and children-with-errors.csv (${bad.length} rows)`);
