'use client';

import { useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { adminFetch } from '../_lib/admin-api';
import type { AdminProduct } from './products';

type Image = AdminProduct['images'][number];

/**
 * A product's images in their storefront order: drag one onto another to move it there, or use the
 * "Monter" / "Descendre" buttons (keyboard and touch; the focus stays on the image moved), and edit
 * each one's alt text. Every change is saved at once and reported in a live region.
 */
export function ProductImages({ productId, images, onSaved, onError }: { productId: string; images: Image[]; onSaved: () => void; onError: (message: string) => void }) {
  const [order, setOrder] = useState(images);
  const [dragged, setDragged] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const focusAfterMove = useRef<string | null>(null);
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => setOrder(images), [images]);
  useEffect(() => {
    if (!focusAfterMove.current) return;
    list.current?.querySelector<HTMLButtonElement>(`[data-move="${focusAfterMove.current}"]`)?.focus();
    focusAfterMove.current = null;
  }, [order]);

  async function save(next: Image[], moved: Image, direction?: 'up' | 'down') {
    const previous = order;
    setOrder(next);
    // Keeps the keyboard where it was: on the same button of the image that moved, when it still exists.
    const stillThere = direction === 'up' ? next.indexOf(moved) > 0 : next.indexOf(moved) < next.length - 1;
    if (direction) focusAfterMove.current = `${moved.id}-${stillThere ? direction : direction === 'up' ? 'down' : 'up'}`;
    const res = await adminFetch('PUT', `/api/admin/products/${productId}/images/order`, { imageIds: next.map((image) => image.id) });
    if (!res.ok) {
      setOrder(previous);
      onError(res.message);
      return;
    }
    setStatus(`Image « ${moved.alt || 'sans description'} » placée en position ${next.indexOf(moved) + 1} sur ${next.length}.`);
    onSaved();
  }

  function move(index: number, offset: -1 | 1) {
    const next = [...order];
    const [moved] = next.splice(index, 1);
    next.splice(index + offset, 0, moved!);
    void save(next, moved!, offset < 0 ? 'up' : 'down');
  }

  function drop(event: DragEvent, target: Image) {
    event.preventDefault();
    const moved = order.find((image) => image.id === dragged);
    setDragged(null);
    if (!moved || moved.id === target.id) return;
    const next = order.filter((image) => image.id !== moved.id);
    next.splice(order.indexOf(target), 0, moved);
    void save(next, moved);
  }

  async function saveAlt(event: FormEvent<HTMLFormElement>, image: Image) {
    event.preventDefault();
    const alt = String(new FormData(event.currentTarget).get('alt') ?? '');
    const res = await adminFetch('PATCH', `/api/admin/images/${image.id}`, { alt });
    if (!res.ok) return onError(res.message);
    setStatus(`Texte alternatif de l’image ${order.indexOf(image) + 1} enregistré.`);
    onSaved();
  }

  if (order.length === 0) return null;
  return (
    <>
      <p className="field__hint">La première image est celle des listes et du panier. Glissez une image sur une autre pour la déplacer, ou utilisez ses boutons.</p>
      <ol className="admin-images" ref={list} aria-label="Images du produit, dans l’ordre de la boutique">
        {order.map((image, index) => (
          <li
            key={image.id}
            className={dragged === image.id ? 'admin-image admin-image--dragged' : 'admin-image'}
            draggable
            onDragStart={(event) => {
              event.dataTransfer.effectAllowed = 'move';
              setDragged(image.id);
            }}
            onDragEnd={() => setDragged(null)}
            onDragOver={(event) => event.preventDefault()}
            onDrop={(event) => drop(event, image)}
          >
            {/* Already resized by the API: a thumbnail needs no optimiser. */}
            <img src={image.url} alt={image.alt} width={120} draggable={false} />
            <form className="admin-image__alt" onSubmit={(event) => void saveAlt(event, image)}>
              <label htmlFor={`alt-${image.id}`}>Texte alternatif de l’image {index + 1}</label>
              <input id={`alt-${image.id}`} name="alt" defaultValue={image.alt} maxLength={200} key={image.alt} />
              <button type="submit" className="button button--ghost button--small">
                Enregistrer le texte
              </button>
            </form>
            <div className="admin-image__move">
              <button type="button" className="button button--ghost button--small" data-move={`${image.id}-up`} disabled={index === 0} onClick={() => move(index, -1)}>
                Monter<span className="visually-hidden"> l’image {index + 1}</span>
              </button>
              <button type="button" className="button button--ghost button--small" data-move={`${image.id}-down`} disabled={index === order.length - 1} onClick={() => move(index, 1)}>
                Descendre<span className="visually-hidden"> l’image {index + 1}</span>
              </button>
            </div>
          </li>
        ))}
      </ol>
      <p className="visually-hidden" role="status" aria-live="polite">
        {status}
      </p>
    </>
  );
}
