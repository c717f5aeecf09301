/** A complete seller identity (the SELLER_* variables) for production builds in tests; none of it is real. */
export const TEST_SELLER = {
  SELLER_NAME: 'GirlyCrea',
  SELLER_LEGAL_FORM: 'Entreprise individuelle (micro-entreprise)',
  SELLER_SIRET: '123 456 789 00012',
  SELLER_ADDRESS: '12 rue des Lilas, 69001 Lyon, France',
  SELLER_VAT_NUMBER: 'TVA non applicable, art. 293 B du CGI',
  SELLER_EMAIL: 'bonjour@girlycrea.fr',
  SELLER_PUBLISHER: 'Camille Martin',
  SELLER_HOST: 'Hébergeur Exemple SAS, 1 avenue du Test, 75001 Paris, 01 23 45 67 89',
  SELLER_MEDIATOR: 'Médiateur Exemple de la consommation, https://mediateur.exemple.fr',
} as const;
