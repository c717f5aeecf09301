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
  /** Short name written under the motif. */
  label: string;
  /** Colour or scent name of the variant pictured (e.g. "Rose poudré"); unknown names get a stable pastel. */
  colour: string;
  /** 1-based image number: changes the framing and the confetti so a gallery does not repeat itself. */
  index: number;
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

/** Escapes the five XML special characters so any title can sit in text or an attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

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
const MOTIFS: Record<ProductKind, (p: Palette) => string> = {
  bracelet: (p) => `<circle r="118" fill="none" stroke="${p.dark}" stroke-width="2" opacity="0.5"/>${beadsOnCircle(0, 0, 118, 18, 19, p)}`,
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
  barrette: (p) =>
    `<g transform="rotate(-18)"><rect x="-170" y="-34" width="340" height="68" rx="34" fill="${p.main}" stroke="${p.dark}" stroke-width="5"/>${[-110, -55, 0, 55, 110].map((x) => `<circle cx="${x}" cy="0" r="17" fill="${p.light}" stroke="${p.dark}" stroke-width="2"/>`).join('')}</g>`,
  trousse: (p) =>
    `<rect x="-170" y="-105" width="340" height="210" rx="46" fill="${p.main}" stroke="${p.dark}" stroke-width="5"/><path d="M-150 -70 H150" stroke="${p.dark}" stroke-width="6" stroke-dasharray="10 6"/><rect x="112" y="-84" width="22" height="48" rx="8" fill="${p.light}" stroke="${p.dark}" stroke-width="3"/><circle cx="0" cy="20" r="26" fill="${p.light}" opacity="0.8"/>`,
  sac: (p) =>
    `<path d="M-80 -70 C-80 -190 80 -190 80 -70" fill="none" stroke="${p.dark}" stroke-width="12"/><path d="M-150 -80 H150 L130 150 H-130 Z" fill="${p.main}" stroke="${p.dark}" stroke-width="5" stroke-linejoin="round"/><path d="M-100 40 Q0 90 100 40" fill="none" stroke="${p.light}" stroke-width="10" stroke-linecap="round"/>`,
  'porte-cles': (p) =>
    `<circle cx="0" cy="-110" r="44" fill="none" stroke="${p.dark}" stroke-width="9"/><path d="M0 -66 V-20" stroke="${p.dark}" stroke-width="6" stroke-dasharray="8 4"/><path d="M0 -20 C-90 20 -70 150 0 150 C70 150 90 20 0 -20 Z" fill="${p.main}" stroke="${p.dark}" stroke-width="5"/><path d="M0 30 C-20 10 -45 40 0 80 C45 40 20 10 0 30 Z" fill="${p.light}"/>`,
  bougie: (p) =>
    `<path d="M0 -170 C-22 -135 -18 -110 0 -100 C18 -110 22 -135 0 -170 Z" fill="#f6b44b"/><path d="M0 -100 V-80" stroke="${INK}" stroke-width="4"/><rect x="-120" y="-80" width="240" height="230" rx="30" fill="${p.light}" stroke="${p.dark}" stroke-width="5"/><rect x="-120" y="-50" width="240" height="200" rx="26" fill="${p.main}" opacity="0.85"/><rect x="-80" y="10" width="160" height="80" rx="10" fill="#fff" opacity="0.8"/>`,
};

function confetti(index: number, palette: Palette): string {
  const dots: string[] = [];
  // A fixed linear congruence keeps each image's confetti identical run after run.
  let state = (7919 * index + 17) >>> 0;
  for (let i = 0; i < 14; i += 1) {
    // The low bits of a power-of-two LCG repeat quickly, so positions come from the high bits.
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const x = (state >>> 16) % SIZE;
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const y = (state >>> 16) % 440;
    dots.push(`<circle cx="${x}" cy="${y}" r="${4 + (i % 4) * 3}" fill="${i % 2 ? palette.main : '#ffffff'}" opacity="0.45"/>`);
  }
  return dots.join('');
}

/** Renders a pastel SVG illustration for one product image; the same spec always yields the same markup. */
export function renderProductSvg(spec: ProductImageSpec): string {
  const palette = paletteFor(spec.colour);
  const label = escapeXml(spec.label);
  // Image 1 is the full product, 2 a close-up, 3 a tilted flat-lay.
  const frame = [
    'translate(300 250)',
    'translate(300 270) scale(1.3)',
    'translate(300 250) rotate(-12) scale(0.9)',
  ][(spec.index - 1) % 3];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}" role="img" aria-label="${label}">`,
    `<title>${label}</title>`,
    '<defs>',
    `<radialGradient id="bg" cx="50%" cy="40%" r="75%"><stop offset="0" stop-color="${palette.light}"/><stop offset="1" stop-color="${palette.background}"/></radialGradient>`,
    '<radialGradient id="shine" cx="35%" cy="35%" r="60%"><stop offset="0" stop-color="#ffffff" stop-opacity="0.7"/><stop offset="1" stop-color="#ffffff" stop-opacity="0"/></radialGradient>',
    '</defs>',
    `<rect width="${SIZE}" height="${SIZE}" fill="url(#bg)"/>`,
    confetti(spec.index, palette),
    `<ellipse cx="300" cy="455" rx="170" ry="16" fill="${palette.dark}" opacity="0.12"/>`,
    `<g transform="${frame}">${MOTIFS[spec.kind](palette)}</g>`,
    `<rect x="60" y="500" width="480" height="64" rx="32" fill="#ffffff" opacity="0.75"/>`,
    `<text x="300" y="542" text-anchor="middle" font-family="Georgia, 'Times New Roman', serif" font-size="26" fill="${INK}">${label}</text>`,
    '</svg>',
  ].join('');
}
