import type { CertificateLabels } from '../certificate-labels.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** English certificate labels. */
export const en: CertificateLabels = {
  lang: 'en',
  title: 'Certificate of Birth Registration',
  subtitle: 'Extract from the civil register of births',
  registeringOffice: 'Registering office',
  officeCode: 'Office code',
  child: 'Child',
  givenName: 'Given name(s)',
  familyName: 'Family name',
  birthDate: 'Date of birth',
  sex: 'Sex (as recorded)',
  sexValues: { female: 'Female', male: 'Male', other: 'Other', unknown: 'Not recorded' },
  placeOfBirth: 'Place of birth',
  facility: 'Facility',
  registration: 'Registration',
  registrationNumber: 'Registration number',
  registrationDate: 'Date of registration',
  parents: 'Parents and guardians (register references)',
  parentRoles: { mother: 'Mother', father: 'Father', parent: 'Parent', guardian: 'Guardian', 'legal-guardian': 'Legal guardian', 'custodial-organisation': 'Custodial organisation' },
  noParents: 'None recorded',
  guardians: 'Adults who may travel with the child',
  document: 'Document',
  birthSeal: 'Seal 1: birth registration',
  guardianshipSeal: 'Seal 2: guardianship',
  sealInstructions:
    'To check this certificate: scan the seals with the Cradle checkpoint app (or `cradle checkpoint verify` with a photo of this page). The seals carry the signed record: the app shows the child’s details and, from seal 2, the adults who may accompany the child. If the details shown differ from this paper, or the app does not answer VALID, do not rely on this certificate.',
  bearerWarning: 'Whoever holds this paper can show it: compare the child and the accompanying adult’s identity document with what the app shows.',
  issuedBy: 'Issued by',
  credentialId: 'Record',
  printedFrom: 'Printed from the signed record; any reprint carries the same seal.',
  formatDate: (iso) => {
    const [y, m, d] = iso.split('-');
    return `${Number(d)} ${MONTHS[Number(m) - 1] ?? m} ${y}`;
  },
};
