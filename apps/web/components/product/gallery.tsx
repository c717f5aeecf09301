'use client';

import { useState } from 'react';
import { ProductImage } from '../catalog/product-image';
import { useVariantSelection } from './variant-selection';

/** A product picture; `variantId` names the variant it shows, if any. */
export interface GalleryImage {
  url: string;
  alt: string;
  variantId: string | null;
}

/** The pictures of the chosen variant (all of them when it has none of its own). */
export function imagesFor(images: GalleryImage[], variantId: string | undefined): GalleryImage[] {
  const own = images.filter((image) => image.variantId === variantId || image.variantId === null);
  return own.length > 0 ? own : images;
}

/** Main product image with thumbnails to switch between views; it follows the variant chosen beside it. */
export function Gallery({ images: all, title, initialVariantId }: { images: GalleryImage[]; title: string; initialVariantId: string | undefined }) {
  const [variantId] = useVariantSelection(initialVariantId);
  const images = imagesFor(all, variantId);
  const [chosen, setChosen] = useState<{ variantId: string | undefined; index: number }>({ variantId, index: 0 });
  // A new variant starts again on its first picture.
  const current = chosen.variantId === variantId ? chosen.index : 0;
  const shown = images[current] ?? images[0];
  return (
    <div className="gallery">
      <div className="gallery__main">
        <ProductImage key={shown?.url} src={shown?.url} alt={shown?.alt || title} sizes="(min-width: 56rem) 36rem, 100vw" size={720} eager />
      </div>
      {images.length > 1 && (
        <ul className="gallery__thumbs" aria-label="Autres vues">
          {images.map((image, index) => (
            <li key={image.url}>
              <button type="button" className="gallery__thumb" aria-pressed={index === current} onClick={() => setChosen({ variantId, index })}>
                <ProductImage src={image.url} alt="" sizes="5rem" size={96} />
                <span className="visually-hidden">
                  Voir l’image {index + 1} sur {images.length}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
