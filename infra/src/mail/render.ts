import type { RenderedFile } from '../render.js';
import type { Site } from '../site.js';
import { renderOpendkim } from './opendkim.js';
import { renderPostfix } from './postfix.js';

/** Every mail config of the VPS: Postfix and OpenDKIM. */
export function renderMail(site: Site): RenderedFile[] {
  return [...renderPostfix(site), ...renderOpendkim(site)];
}
