import type { ProductKind } from './svg.js';

/** One category of the demo tree; `parent` names another entry's slug. */
export interface CategoryDef {
  slug: string;
  name: string;
  position: number;
  parent?: string;
}

/** One demo product; every option value becomes a variant at the product's price. */
export interface DemoProductDef {
  title: string;
  /** Slug of the leaf category the product is filed under. */
  category: string;
  kind: ProductKind;
  priceCents: number;
  compareAtCents?: number;
  optionName?: 'Couleur' | 'Parfum';
  options: string[];
  description: string;
  status?: 'draft' | 'archived';
  /** Every variant at zero stock, to show the "épuisé" state. */
  isSoldOut?: boolean;
}

/** Sku prefix for each product type (`GC-BRA-001-ROSE`). */
export const SKU_CODES: Record<ProductKind, string> = {
  bracelet: 'BRA',
  collier: 'COL',
  boucles: 'BOU',
  chouchou: 'CHO',
  barrette: 'BAR',
  trousse: 'TRO',
  sac: 'SAC',
  'porte-cles': 'PCL',
  bougie: 'BOG',
};

/** The category tree; parents come before their children. */
export const DEMO_CATEGORIES: CategoryDef[] = [
  { slug: 'bijoux', name: 'Bijoux', position: 1 },
  { slug: 'accessoires-cheveux', name: 'Accessoires cheveux', position: 2 },
  { slug: 'trousses-pochettes', name: 'Trousses & pochettes', position: 3 },
  { slug: 'sacs', name: 'Sacs & tote bags', position: 4 },
  { slug: 'petits-cadeaux', name: 'Petits cadeaux', position: 5 },
  { slug: 'bracelets', name: 'Bracelets', position: 1, parent: 'bijoux' },
  { slug: 'colliers', name: 'Colliers', position: 2, parent: 'bijoux' },
  { slug: 'boucles-d-oreilles', name: 'Boucles d’oreilles', position: 3, parent: 'bijoux' },
  { slug: 'chouchous', name: 'Chouchous', position: 1, parent: 'accessoires-cheveux' },
  { slug: 'barrettes', name: 'Barrettes', position: 2, parent: 'accessoires-cheveux' },
];

const WASH = 'Se lave à la main à l’eau froide.';
const GIFT = 'Livré dans une pochette cadeau en coton.';

/** About forty handmade products, listed newest first. */
export const DEMO_PRODUCTS: DemoProductDef[] = [
  { title: 'Bracelet perles dorées', category: 'bracelets', kind: 'bracelet', priceCents: 1890, options: ['Doré', 'Rose', 'Argenté'],
    description: `Un bracelet élastique monté à la main avec des perles dorées à l’or fin. Léger et lumineux, il s’accumule avec tous vos bracelets préférés. ${GIFT}` },
  { title: 'Chouchou en velours rose poudré', category: 'chouchous', kind: 'chouchou', priceCents: 690, options: ['Rose poudré', 'Bordeaux', 'Bleu nuit'],
    description: 'Un chouchou généreux en velours doux, cousu dans notre atelier. Il tient les cheveux sans les abîmer ni laisser de marque. Parfait au poignet comme en queue-de-cheval.' },
  { title: 'Bracelet cordon tressé lilas', category: 'bracelets', kind: 'bracelet', priceCents: 990, compareAtCents: 1290, options: ['Lilas', 'Menthe', 'Pêche'],
    description: 'Un cordon tressé à la main, réglable grâce à son nœud coulissant. Une petite perle dorée apporte la touche précieuse. Résiste à l’eau et au sable de l’été.' },
  { title: 'Collier pendentif cœur émaillé', category: 'colliers', kind: 'collier', priceCents: 2490, options: ['Rose', 'Corail'],
    description: `Une fine chaîne dorée et un petit cœur émaillé à la main. Chaque pièce est unique : l’émail dessine de légères nuances. ${GIFT}` },
  { title: 'Boucles d’oreilles gouttes en résine', category: 'boucles-d-oreilles', kind: 'boucles', priceCents: 1690, options: ['Lilas', 'Vert d’eau', 'Ambre'],
    description: 'Des gouttes de résine coulées à la main avec des paillettes et des fleurs séchées. Légères, elles se portent toute la journée. Crochets en acier inoxydable hypoallergénique.' },
  { title: 'Trousse matelassée vichy rose', category: 'trousses-pochettes', kind: 'trousse', priceCents: 2290, options: ['Vichy rose', 'Bleu ciel'],
    description: `Une trousse matelassée en coton vichy, doublée et fermée par un zip doré. Elle accueille maquillage, stylos ou petits trésors. ${WASH}` },
  { title: 'Barrette perlée nacrée', category: 'barrettes', kind: 'barrette', priceCents: 890, options: ['Crème', 'Rose poudré'],
    description: 'Une barrette clic-clac ornée de perles nacrées cousues une à une. Elle retient une mèche avec élégance. Idéale pour un mariage ou un dîner.' },
  { title: 'Tote bag brodé « Douceur »', category: 'sacs', kind: 'sac', priceCents: 2990, options: ['Naturel', 'Noir'],
    description: 'Un grand tote bag en toile de coton épaisse, brodé à la main du mot « Douceur ». Ses anses longues se portent à l’épaule. Une poche intérieure garde les clés à portée de main.' },
  { title: 'Bracelet jonc martelé', category: 'bracelets', kind: 'bracelet', priceCents: 2190, options: ['Doré', 'Argenté'],
    description: 'Un jonc ouvert en laiton martelé à la main, qui capte joliment la lumière. Il s’ajuste à tous les poignets. Un bijou minimaliste qui ne se quitte plus.' },
  { title: 'Porte-clés pompon & perles', category: 'petits-cadeaux', kind: 'porte-cles', priceCents: 790, options: ['Rose', 'Lilas', 'Jaune moutarde'],
    description: 'Un pompon en laine et quelques perles en bois sur un anneau doré. Il égaye un trousseau ou un sac. Un petit cadeau qui fait toujours plaisir.' },
  { title: 'Bougie parfumée à la cire de soja', category: 'petits-cadeaux', kind: 'bougie', priceCents: 1990, optionName: 'Parfum', options: ['Vanille', 'Figue', 'Fleur de coton'],
    description: 'Une bougie coulée à la main dans un pot en verre réutilisable. La cire de soja brûle lentement et proprement, environ quarante heures. Mèche en coton sans plomb.' },
  { title: 'Collier perles d’eau douce', category: 'colliers', kind: 'collier', priceCents: 3490, compareAtCents: 3990, options: ['Crème'],
    description: `Des perles d’eau douce aux formes irrégulières, enfilées sur un fil de soie noué entre chaque perle. Fermoir doré à l’or fin. ${GIFT}` },
  { title: 'Chouchou en satin pêche', category: 'chouchous', kind: 'chouchou', priceCents: 590, options: ['Pêche', 'Crème', 'Lilas'],
    description: 'Un chouchou en satin qui glisse sans casser les cheveux. Idéal pour la nuit et les cheveux bouclés. Cousu main à partir de chutes de tissu.' },
  { title: 'Bracelet pierres naturelles améthyste', category: 'bracelets', kind: 'bracelet', priceCents: 2490, options: ['Lilas'],
    description: 'Des perles d’améthyste polies, montées sur un fil élastique solide. Chaque pierre a ses propres inclusions : aucun bracelet n’est identique. Une breloque dorée complète l’ensemble.' },
  { title: 'Pochette plate en lin brodée', category: 'trousses-pochettes', kind: 'trousse', priceCents: 1490, options: ['Sauge', 'Terracotta', 'Écru'],
    description: `Une pochette plate en lin lavé, brodée d’un petit brin de lavande. Elle glisse dans un sac pour les papiers ou les écouteurs. ${WASH}` },
  { title: 'Boucles d’oreilles créoles fleuries', category: 'boucles-d-oreilles', kind: 'boucles', priceCents: 1990, options: ['Doré'],
    description: 'Des créoles dorées ornées de petites fleurs en pâte polymère modelées à la main. Un bijou gai pour le printemps. Fermoir à charnière facile à mettre.' },
  { title: 'Barrettes duo étoiles', category: 'barrettes', kind: 'barrette', priceCents: 790, options: ['Doré', 'Argenté'],
    description: 'Deux petites barrettes en forme d’étoile, vendues par paire. Elles retiennent la frange ou décorent une tresse. Métal sans nickel.' },
  { title: 'Sac bandoulière au crochet', category: 'sacs', kind: 'sac', priceCents: 4990, options: ['Crème', 'Terracotta'],
    description: 'Un petit sac crocheté main en coton recyclé, doublé de tissu fleuri. Sa bandoulière réglable se porte en travers. Compter deux jours de travail pour chaque sac.' },
  { title: 'Bracelet prénom personnalisable', category: 'bracelets', kind: 'bracelet', priceCents: 1590, options: ['Rose', 'Bleu ciel', 'Blanc'],
    description: 'Un bracelet en perles avec des lettres blanches pour écrire un prénom ou un mot doux. Précisez le texte souhaité dans votre commande. Un cadeau de naissance très apprécié.' },
  { title: 'Chouchou liberty fleuri', category: 'chouchous', kind: 'chouchou', priceCents: 650, options: ['Liberty', 'Vichy rose'],
    description: 'Un chouchou en coton imprimé de petites fleurs, esprit campagne anglaise. Élastique souple et résistant. Se lave en machine à trente degrés.' },
  { title: 'Collier ras-de-cou arc-en-ciel', category: 'colliers', kind: 'collier', priceCents: 1790, options: ['Rose', 'Lilas'],
    description: 'Un ras-de-cou de perles de rocaille aux couleurs de l’arc-en-ciel. Sa chaînette d’extension permet d’ajuster la longueur. Un clin d’œil joyeux aux années quatre-vingt-dix.' },
  { title: 'Trousse de toilette imperméable', category: 'trousses-pochettes', kind: 'trousse', priceCents: 2690, compareAtCents: 3190, options: ['Menthe', 'Rose poudré'],
    description: 'Une grande trousse en coton enduit, facile à essuyer. Son fond plat tient debout sur le rebord du lavabo. Idéale pour le week-end ou la salle de sport.' },
  { title: 'Boucles d’oreilles puces cœur', category: 'boucles-d-oreilles', kind: 'boucles', priceCents: 1290, options: ['Rose', 'Doré'],
    description: 'De minuscules cœurs en émail sur des tiges en acier chirurgical. Discrètes, elles se portent au quotidien. Livrées avec leurs poussoirs en silicone.' },
  { title: 'Porte-clés macramé', category: 'petits-cadeaux', kind: 'porte-cles', priceCents: 690, options: ['Naturel', 'Sauge', 'Terracotta'],
    description: 'Un porte-clés noué en macramé avec une cordelette de coton recyclé. Il est assez grand pour retrouver ses clés au fond du sac. Anneau doré solide.' },
  { title: 'Bracelet chaîne et perle d’eau douce', category: 'bracelets', kind: 'bracelet', priceCents: 2290, options: ['Doré', 'Argenté'],
    description: 'Une chaîne fine et une unique perle d’eau douce, pour un bijou tout en délicatesse. Fermoir mousqueton et chaînette d’extension. Acier inoxydable qui ne noircit pas.' },
  { title: 'Bandeau noué en velours', category: 'barrettes', kind: 'barrette', priceCents: 1290, options: ['Bordeaux', 'Noir', 'Rose poudré'],
    description: 'Un serre-tête rembourré, recouvert de velours et noué sur le dessus. Confortable grâce à son intérieur en mousse. La touche rétro qui habille une tenue simple.' },
  { title: 'Tote bag « Fait main avec amour »', category: 'sacs', kind: 'sac', priceCents: 2490, options: ['Naturel'], isSoldOut: true,
    description: 'Un tote bag en coton biologique, sérigraphié à la main dans notre atelier. Assez grand pour les courses ou un ordinateur portable. Revient bientôt en stock.' },
  { title: 'Collier médaille étoile', category: 'colliers', kind: 'collier', priceCents: 2190, options: ['Doré', 'Argenté'],
    description: `Une médaille ronde gravée d’une étoile, sur une chaîne forçat. Un porte-bonheur à garder près du cœur. ${GIFT}` },
  { title: 'Chouchous mini lot de trois', category: 'chouchous', kind: 'chouchou', priceCents: 890, compareAtCents: 1050, options: ['Pastel', 'Fuchsia'],
    description: 'Trois petits chouchous assortis pour les demi-queues et les tresses. Une économie par rapport à l’achat à l’unité. Tissus choisis parmi nos chutes de la saison.' },
  { title: 'Trousse à crayons brodée prénom', category: 'trousses-pochettes', kind: 'trousse', priceCents: 1890, options: ['Bleu ciel', 'Lilas', 'Pêche'],
    description: 'Une trousse d’écolier en toile, brodée du prénom de votre choix. Indiquez le prénom dans la note de commande. Pour une rentrée toute en douceur.' },
  { title: 'Boucles d’oreilles pompons', category: 'boucles-d-oreilles', kind: 'boucles', priceCents: 1490, options: ['Fuchsia', 'Jaune moutarde'], isSoldOut: true,
    description: 'Des pompons de soie qui dansent à chaque mouvement. Un bijou vitaminé pour l’été. Crochets dorés à l’or fin.' },
  { title: 'Barrette à cheveux coquillage', category: 'barrettes', kind: 'barrette', priceCents: 990, options: ['Crème', 'Corail'],
    description: 'Une barrette en acétate en forme de coquillage. Elle rappelle les vacances au bord de la mer. Pince solide qui tient les cheveux épais.' },
  { title: 'Bracelet multirang perles de verre', category: 'bracelets', kind: 'bracelet', priceCents: 2790, compareAtCents: 3290, options: ['Menthe', 'Rose', 'Lavande'],
    description: 'Trois rangs de perles de verre tchèques reliés par un fermoir doré. Les couleurs sont assorties à la main pour chaque bracelet. Un bijou statement pour les grandes occasions.' },
  { title: 'Bougie fondant parfumé', category: 'petits-cadeaux', kind: 'bougie', priceCents: 490, optionName: 'Parfum', options: ['Vanille', 'Figue'],
    description: 'Des fondants de cire de soja à faire fondre dans un brûle-parfum. Parfums sans phtalates, conformes aux normes européennes. Environ huit heures de parfum par carré.' },
  { title: 'Sac banane en velours côtelé', category: 'sacs', kind: 'sac', priceCents: 3490, options: ['Terracotta', 'Sauge'],
    description: 'Un sac banane en velours côtelé à porter à la taille ou en bandoulière. Zip doré et sangle réglable. Assez grand pour un téléphone et un portefeuille.' },
  { title: 'Collier lune et étoiles', category: 'colliers', kind: 'collier', priceCents: 2690, options: ['Doré'],
    description: 'Un collier double rang avec une petite lune et des étoiles. Les deux chaînes sont reliées pour ne jamais s’emmêler. Réglable de quarante à quarante-cinq centimètres.' },
  { title: 'Porte-clés cœur en cuir', category: 'petits-cadeaux', kind: 'porte-cles', priceCents: 990, options: ['Rose', 'Bordeaux'],
    description: 'Un cœur en cuir découpé et cousu à la main, sur un anneau doré. Une jolie attention pour la fête des mères. Initiales embossées sur demande.' },
  { title: 'Chouchou XXL en mousseline', category: 'chouchous', kind: 'chouchou', priceCents: 790, options: ['Lilas', 'Bleu ciel', 'Pêche'],
    description: 'Un chouchou volumineux en mousseline légère, pour une coiffure aérienne. Il se noue aussi autour d’un sac. Une jolie couleur pastel pour chaque humeur.' },
  { title: 'Boucles d’oreilles nacre et perles', category: 'boucles-d-oreilles', kind: 'boucles', priceCents: 2290, options: ['Crème'],
    description: 'Des disques de nacre et de petites perles suspendus à de fins anneaux. Elles apportent une lumière douce au visage. Parfaites pour une mariée.' },
  { title: 'Pochette de sac à main en satin', category: 'trousses-pochettes', kind: 'trousse', priceCents: 1690, options: ['Rose poudré', 'Noir'],
    description: 'Une petite pochette en satin pour ranger rouge à lèvres et miroir. Fermeture par un bouton pression discret. Doublure en coton imprimé.' },
  { title: 'Bracelet manchette brodé', category: 'bracelets', kind: 'bracelet', priceCents: 3290, options: ['Rose'], status: 'draft',
    description: 'Une manchette en tissu brodée de perles, encore en cours de création. Elle sera bientôt disponible. Merci de votre patience.' },
  { title: 'Bracelet édition Noël', category: 'bracelets', kind: 'bracelet', priceCents: 1790, options: ['Bordeaux', 'Doré'], status: 'archived',
    description: 'Une édition limitée aux couleurs de Noël, aujourd’hui retirée de la vente. Elle reste visible dans les anciennes commandes. Merci à toutes celles qui l’ont adoptée.' },
];

/** One product type for the generated benchmark catalog. */
export interface GeneratedTypeDef {
  noun: string;
  kind: ProductKind;
  category: string;
  minCents: number;
  maxCents: number;
  materials: string[];
}

/** Word lists for generated titles: `${noun} ${material} ${colour}`. */
export const GENERATED_TYPES: GeneratedTypeDef[] = [
  { noun: 'Bracelet', kind: 'bracelet', category: 'bracelets', minCents: 890, maxCents: 2990, materials: ['en perles de verre', 'en pierres naturelles', 'tressé en coton', 'en perles heishi', 'en laiton martelé'] },
  { noun: 'Collier', kind: 'collier', category: 'colliers', minCents: 1490, maxCents: 4990, materials: ['en perles de rocaille', 'à médaille', 'en perles d’eau douce', 'à pendentif émaillé'] },
  { noun: 'Boucles d’oreilles', kind: 'boucles', category: 'boucles-d-oreilles', minCents: 990, maxCents: 2990, materials: ['en résine', 'en pâte polymère', 'en soie', 'en nacre'] },
  { noun: 'Chouchou', kind: 'chouchou', category: 'chouchous', minCents: 490, maxCents: 990, materials: ['en velours', 'en satin', 'en mousseline', 'en lin', 'en coton imprimé'] },
  { noun: 'Barrette', kind: 'barrette', category: 'barrettes', minCents: 590, maxCents: 1490, materials: ['perlée', 'en acétate', 'en velours', 'en laiton'] },
  { noun: 'Trousse', kind: 'trousse', category: 'trousses-pochettes', minCents: 1290, maxCents: 3490, materials: ['matelassée', 'en lin', 'en coton enduit', 'en velours côtelé'] },
  { noun: 'Tote bag', kind: 'sac', category: 'sacs', minCents: 1990, maxCents: 4990, materials: ['en toile de coton', 'brodé', 'au crochet', 'en lin lavé'] },
  { noun: 'Porte-clés', kind: 'porte-cles', category: 'petits-cadeaux', minCents: 590, maxCents: 1290, materials: ['en macramé', 'à pompon', 'en cuir', 'en perles de bois'] },
  { noun: 'Bougie', kind: 'bougie', category: 'petits-cadeaux', minCents: 490, maxCents: 2490, materials: ['à la cire de soja', 'en pot de verre', 'à la cire d’abeille'] },
];

/** Colours that stay invariable after any noun, so generated titles agree in gender. */
export const GENERATED_COLOURS = [
  'rose poudré', 'lilas', 'vert d’eau', 'bleu ciel', 'pêche', 'corail',
  'terracotta', 'sauge', 'crème', 'bordeaux', 'lavande', 'jaune moutarde',
];

/** Closing sentences for generated descriptions. */
export const GENERATED_SENTENCES = [
  'Chaque pièce est unique et peut présenter de légères variations.',
  'Fabriqué en petite série dans notre atelier en France.',
  'Livré dans une pochette cadeau en coton.',
  'Des matériaux choisis avec soin, pour durer.',
  'Une jolie idée de cadeau pour une amie ou pour soi.',
];
