/** The drawings the seed knows; each product type maps to one motif. */
export type ProductKind =
  | 'bracelet'
  | 'collier'
  | 'boucles'
  | 'chouchou'
  | 'barrette'
  | 'trousse'
  | 'sac'
  | 'porte-cles'
  | 'bougie';

/** What one product image shows. */
export interface ProductImageSpec {
  kind: ProductKind;
  /** Colour or scent name of the variant pictured (e.g. "Rose poudré"); unknown names get a stable pastel. */
  colour: string;
  /** 1-based view: 1 the product, 2 a close-up, 3 a tilted flat-lay. */
  index: number;
  /** Any text that tells products apart (the slug): it picks the surface, the props and the proportions. */
  seed: string;
}

const SIZE = 600;
const INK = '#4a3346';

const NAMED_COLOURS: Record<string, string> = {
  'rose': '#f29bb8',
  'rose poudré': '#eab4c0',
  'vieux rose': '#c98b95',
  'fuchsia': '#e0589a',
  'doré': '#e0b94f',
  'argenté': '#b9c0c9',
  'lilas': '#c3a6e0',
  'lavande': '#a99be6',
  'menthe': '#98dcc0',
  'vert d’eau': '#a8e0d2',
  'sauge': '#a9bf9a',
  'pêche': '#f8b98f',
  'corail': '#f28b78',
  'terracotta': '#d0805e',
  'bleu ciel': '#9fcdf0',
  'bleu nuit': '#4d5b8f',
  'crème': '#f1e3c4',
  'écru': '#e8dcc2',
  'naturel': '#d9c7a5',
  'noir': '#5a5360',
  'bordeaux': '#a34d63',
  'jaune moutarde': '#e3b740',
  'vanille': '#f3dfa2',
  'figue': '#a77aa5',
  'fleur de coton': '#cfe2f3',
  'ambre': '#e0a458',
  'léopard': '#d6a15d',
  'vichy rose': '#f3aac3',
  'liberty': '#e89bb0',
  'blanc': '#f2eef2',
  'pastel': '#f5c6d6',
};

/** Returns the hex colour for a colour name, or a stable pastel derived from the name. */
export function colourHex(name: string): string {
  const known = NAMED_COLOURS[name.trim().toLowerCase().replace(/'/g, '’')];
  if (known) return known;
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hslToHex(hash % 360, 0.6, 0.75);
}

function hslToHex(h: number, s: number, l: number): string {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return `#${[f(0), f(8), f(4)].map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('')}`;
}

function mix(hex: string, other: string, t: number): string {
  const parse = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  const a = parse(hex);
  const b = parse(other);
  return `#${a.map((v, i) => Math.round(v + ((b[i] ?? v) - v) * t).toString(16).padStart(2, '0')).join('')}`;
}

interface Palette {
  light: string;
  background: string;
  main: string;
  dark: string;
}

function paletteFor(colour: string): Palette {
  const main = colourHex(colour);
  return { light: mix(main, '#ffffff', 0.9), background: mix(main, '#ffffff', 0.72), main, dark: mix(main, '#000000', 0.3) };
}

function beadsOnCircle(cx: number, cy: number, radius: number, count: number, r: number, p: Palette): string {
  const beads: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const angle = (2 * Math.PI * i) / count;
    const x = (cx + radius * Math.cos(angle)).toFixed(1);
    const y = (cy + radius * Math.sin(angle)).toFixed(1);
    const fill = i % 4 === 0 ? p.dark : p.main;
    beads.push(`<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}"/><circle cx="${x}" cy="${y}" r="${r}" fill="url(#shine)"/>`);
  }
  return beads.join('');
}

// Motifs are drawn around (0, 0) and placed by the caller, so framing can change per image.
const MOTIFS: Record<ProductKind, (p: Palette, v: number) => string> = {
  bracelet: (p, v) => `<circle r="118" fill="none" stroke="${p.dark}" stroke-width="2" opacity="0.5"/>${beadsOnCircle(0, 0, 118, 12 + (v % 12), 14 + (v % 9), p)}`,
  collier: (p) => {
    const beads: string[] = [];
    for (let i = 1; i < 12; i += 1) {
      const angle = (Math.PI * i) / 12;
      const x = (150 * Math.cos(angle)).toFixed(1);
      const y = (-40 + 130 * Math.sin(angle)).toFixed(1);
      beads.push(`<circle cx="${x}" cy="${y}" r="9" fill="${p.main}"/>`);
    }
    return `<path d="M-150 -40 A150 130 0 0 0 150 -40" fill="none" stroke="${p.dark}" stroke-width="3"/>${beads.join('')}<path d="M0 90 C-30 120 -22 150 0 170 C22 150 30 120 0 90 Z" fill="${p.dark}"/><circle cx="-6" cy="130" r="6" fill="#fff" opacity="0.6"/>`;
  },
  boucles: (p) =>
    [-75, 75]
      .map((x) => `<g transform="translate(${x} 0)"><path d="M0 -120 C-28 -120 -28 -80 0 -80" fill="none" stroke="${p.dark}" stroke-width="5"/><circle cy="-62" r="16" fill="${p.main}"/><path d="M0 -40 C-46 20 -38 90 0 110 C38 90 46 20 0 -40 Z" fill="${p.main}" stroke="${p.dark}" stroke-width="4"/><circle cx="-12" cy="40" r="9" fill="#fff" opacity="0.55"/></g>`)
      .join(''),
  chouchou: (p) =>
    `<circle r="112" fill="none" stroke="${p.main}" stroke-width="78"/><circle r="112" fill="none" stroke="${p.dark}" stroke-width="78" stroke-dasharray="6 30" opacity="0.35"/><circle r="150" fill="none" stroke="${p.dark}" stroke-width="3" opacity="0.4"/><circle r="74" fill="none" stroke="${p.dark}" stroke-width="3" opacity="0.4"/>`,
  barrette: (p, v) =>
    `<g transform="rotate(-18)"><rect x="-170" y="-34" width="340" height="68" rx="${v % 2 ? 34 : 12}" fill="${p.main}" stroke="${p.dark}" stroke-width="5"/>${[-110, -55, 0, 55, 110].slice(0, 3 + (v % 3)).map((x) => `<circle cx="${x}" cy="0" r="${13 + (v % 7)}" fill="${p.light}" stroke="${p.dark}" stroke-width="2"/>`).join('')}</g>`,
  trousse: (p) =>
    `<rect x="-170" y="-105" width="340" height="210" rx="46" fill="${p.main}" stroke="${p.dark}" stroke-width="5"/><path d="M-150 -70 H150" stroke="${p.dark}" stroke-width="6" stroke-dasharray="10 6"/><rect x="112" y="-84" width="22" height="48" rx="8" fill="${p.light}" stroke="${p.dark}" stroke-width="3"/><circle cx="0" cy="20" r="26" fill="${p.light}" opacity="0.8"/>`,
  sac: (p) =>
    `<path d="M-80 -70 C-80 -190 80 -190 80 -70" fill="none" stroke="${p.dark}" stroke-width="12"/><path d="M-150 -80 H150 L130 150 H-130 Z" fill="${p.main}" stroke="${p.dark}" stroke-width="5" stroke-linejoin="round"/><path d="M-100 40 Q0 90 100 40" fill="none" stroke="${p.light}" stroke-width="10" stroke-linecap="round"/>`,
  'porte-cles': (p) =>
    `<circle cx="0" cy="-110" r="44" fill="none" stroke="${p.dark}" stroke-width="9"/><path d="M0 -66 V-20" stroke="${p.dark}" stroke-width="6" stroke-dasharray="8 4"/><path d="M0 -20 C-90 20 -70 150 0 150 C70 150 90 20 0 -20 Z" fill="${p.main}" stroke="${p.dark}" stroke-width="5"/><path d="M0 30 C-20 10 -45 40 0 80 C45 40 20 10 0 30 Z" fill="${p.light}"/>`,
  bougie: (p) =>
    `<path d="M0 -170 C-22 -135 -18 -110 0 -100 C18 -110 22 -135 0 -170 Z" fill="#f6b44b"/><path d="M0 -100 V-80" stroke="${INK}" stroke-width="4"/><rect x="-120" y="-80" width="240" height="230" rx="30" fill="${p.light}" stroke="${p.dark}" stroke-width="5"/><rect x="-120" y="-50" width="240" height="200" rx="26" fill="${p.main}" opacity="0.85"/><rect x="-80" y="10" width="160" height="80" rx="10" fill="#fff" opacity="0.8"/>`,
};

/** A stable 32-bit hash of `text` (FNV-1a). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

// Surfaces the object is photographed on: linen, light wood, marble, paper.
const SURFACES = [
  (p: Palette) => `<rect width="600" height="600" fill="#f4efe8"/><path d="M0 0H600V600H0Z" fill="url(#weave)" opacity="0.35"/><rect width="600" height="600" fill="${p.light}" opacity="0.35"/>`,
  () => `<rect width="600" height="600" fill="#ead7bf"/>${Array.from({ length: 9 }, (_, i) => `<path d="M0 ${20 + i * 68} C200 ${5 + i * 68} 400 ${40 + i * 68} 600 ${18 + i * 68}" stroke="#d8bf9f" stroke-width="3" fill="none" opacity="0.7"/>`).join('')}`,
  () => `<rect width="600" height="600" fill="#f3f1f0"/><path d="M-20 140 C120 180 200 90 330 170 S520 120 640 200" stroke="#d9d4d2" stroke-width="4" fill="none"/><path d="M-20 420 C150 380 260 470 380 410 S560 460 640 400" stroke="#dcd7d5" stroke-width="3" fill="none"/>`,
  (p: Palette) => `<rect width="600" height="600" fill="${p.light}"/><rect y="330" width="600" height="270" fill="${p.background}" opacity="0.55"/>`,
];

// Small props beside the product, as in a styled shop photo.
const PROPS = [
  '',
  '<g transform="translate(500 470) rotate(20)"><path d="M0 0 C-30 -40 -10 -80 0 -90 C10 -80 30 -40 0 0Z" fill="#9fb98f"/><path d="M0 0 V-85" stroke="#7d9a6d" stroke-width="2"/></g>',
  '<g transform="translate(95 480)"><circle r="16" fill="#fff" opacity="0.9"/><circle r="6" fill="#f3d36b"/>' + [0, 72, 144, 216, 288].map((a) => `<circle cx="${(14 * Math.cos((a * Math.PI) / 180)).toFixed(1)}" cy="${(14 * Math.sin((a * Math.PI) / 180)).toFixed(1)}" r="9" fill="#fff"/>`).join('') + '<circle r="6" fill="#f3d36b"/></g>',
  '<g transform="translate(505 120) rotate(-15)"><rect x="-40" y="-28" width="80" height="56" rx="4" fill="#fff" opacity="0.85"/><path d="M-40 -28 L0 4 L40 -28" fill="none" stroke="#e2d6cf" stroke-width="3"/></g>',
];

/**
 * Renders a product "photo" stand-in: the object in the variant's colour, on a surface with a soft
 * shadow and light; no text in the picture. The same spec always yields the same markup, and two
 * products of the same kind differ in surface, props, framing and proportions.
 */
export function renderProductSvg(spec: ProductImageSpec): string {
  const palette = paletteFor(spec.colour);
  const h = hash(spec.seed);
  const surface = SURFACES[h % SURFACES.length]!(palette);
  const prop = PROPS[(h >>> 3) % PROPS.length]!;
  const tilt = ((h >>> 6) % 31) - 15;
  const scale = 0.85 + ((h >>> 11) % 25) / 100;
  const dx = ((h >>> 16) % 41) - 20;
  const light = 25 + ((h >>> 21) % 50);
  // Image 1 is the full product, 2 a close-up, 3 a tilted flat-lay.
  const frame = [
    `translate(${300 + dx} 280) rotate(${tilt}) scale(${scale.toFixed(2)})`,
    `translate(${300 + dx} 300) rotate(${tilt}) scale(${(scale * 1.45).toFixed(2)})`,
    `translate(${300 + dx} 280) rotate(${tilt - 25}) scale(${(scale * 0.8).toFixed(2)})`,
  ][(spec.index - 1) % 3];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">`,
    '<defs>',
    '<pattern id="weave" width="6" height="6" patternUnits="userSpaceOnUse"><path d="M0 3H6M3 0V6" stroke="#cfc4b8" stroke-width="1"/></pattern>',
    '<radialGradient id="shine" cx="35%" cy="35%" r="60%"><stop offset="0" stop-color="#ffffff" stop-opacity="0.7"/><stop offset="1" stop-color="#ffffff" stop-opacity="0"/></radialGradient>',
    `<radialGradient id="light" cx="${light}%" cy="20%" r="90%"><stop offset="0" stop-color="#ffffff" stop-opacity="0.45"/><stop offset="0.6" stop-color="#ffffff" stop-opacity="0"/><stop offset="1" stop-color="#3b2a31" stop-opacity="0.18"/></radialGradient>`,
    '<filter id="soft" x="-30%" y="-30%" width="160%" height="160%"><feGaussianBlur stdDeviation="14"/></filter>',
    '</defs>',
    surface,
    prop,
    `<ellipse cx="${300 + dx + 18}" cy="${455 - (spec.index === 2 ? 0 : 10)}" rx="${Math.round(165 * scale)}" ry="26" fill="#3b2a31" opacity="0.16" filter="url(#soft)"/>`,
    `<g transform="${frame}">${MOTIFS[spec.kind](palette, h >>> 24)}</g>`,
    '<rect width="600" height="600" fill="url(#light)"/>',
    '</svg>',
  ].join('');
}
