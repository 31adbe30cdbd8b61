import type { CertificateLabels } from '../certificate-labels.js';

const MOIS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** French certificate labels. */
export const fr: CertificateLabels = {
  lang: 'fr',
  title: 'Acte de naissance',
  subtitle: 'Extrait du registre de l’état civil (naissances)',
  registeringOffice: 'Bureau d’état civil',
  officeCode: 'Code du bureau',
  child: 'Enfant',
  givenName: 'Prénom(s)',
  familyName: 'Nom de famille',
  birthDate: 'Date de naissance',
  sex: 'Sexe (tel qu’enregistré)',
  sexValues: { female: 'Féminin', male: 'Masculin', other: 'Autre', unknown: 'Non enregistré' },
  placeOfBirth: 'Lieu de naissance',
  facility: 'Établissement',
  registration: 'Enregistrement',
  registrationNumber: 'Numéro d’enregistrement',
  registrationDate: 'Date d’enregistrement',
  parents: 'Parents et tuteurs (références du registre)',
  parentRoles: { mother: 'Mère', father: 'Père', parent: 'Parent', guardian: 'Tuteur', 'legal-guardian': 'Tuteur légal', 'custodial-organisation': 'Organisme de garde' },
  noParents: 'Aucun enregistré',
  guardians: 'Adultes autorisés à voyager avec l’enfant',
  document: 'Pièce',
  birthSeal: 'Sceau 1 : enregistrement de la naissance',
  guardianshipSeal: 'Sceau 2 : tutelle',
  sealInstructions:
    'Pour vérifier cet acte : scannez les sceaux avec l’application de contrôle Cradle (ou `cradle checkpoint verify` avec une photo de cette page). Les sceaux portent l’acte signé : l’application affiche les données de l’enfant et, grâce au sceau 2, les adultes autorisés à l’accompagner. Si les données affichées diffèrent de ce papier, ou si l’application ne répond pas VALIDE, ne vous fiez pas à cet acte.',
  bearerWarning: 'Toute personne qui détient ce papier peut le présenter : comparez l’enfant et la pièce d’identité de l’adulte accompagnant avec ce qu’affiche l’application.',
  issuedBy: 'Délivré par',
  credentialId: 'Acte',
  printedFrom: 'Imprimé à partir de l’acte signé ; toute réimpression porte le même sceau.',
  formatDate: (iso) => {
    const [y, m, d] = iso.split('-');
    return `${Number(d) === 1 ? '1er' : Number(d)} ${MOIS[Number(m) - 1] ?? m} ${y}`;
  },
};
