'use client';

import { useState } from 'react';
import { ProductImage } from '../catalog/product-image';

/** Main product image with thumbnails to switch between views. */
export function Gallery({ images, title }: { images: { url: string; alt: string }[]; title: string }) {
  const [current, setCurrent] = useState(0);
  const shown = images[current] ?? images[0];
  return (
    <div className="gallery">
      <div className="gallery__main">
        <ProductImage src={shown?.url} alt={shown?.alt || title} sizes="(min-width: 56rem) 36rem, 100vw" size={720} eager />
      </div>
      {images.length > 1 && (
        <ul className="gallery__thumbs" aria-label="Autres vues">
          {images.map((image, index) => (
            <li key={image.url}>
              <button type="button" className="gallery__thumb" aria-pressed={index === current} onClick={() => setCurrent(index)}>
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
