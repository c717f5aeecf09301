import Image from 'next/image';

// Only media served by our API (through the /api rewrite) is rendered with
// next/image: the seeded media and the back office's uploads, the two
// images.localPatterns; anything else would make next/image throw at render time.
const MEDIA_PATH = /^\/api\/(media|uploads)\/[^?#]+$/;

// A blush square shown while the real image loads (no extra request).
const PLACEHOLDER =
  'data:image/svg+xml;charset=utf-8,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"%3E%3Crect width="1" height="1" fill="%23fde7ee"/%3E%3C/svg%3E';

/** Returns the image path when it is safe to hand to next/image, else null. */
export function mediaPath(image: string | null | undefined): string | null {
  return image && MEDIA_PATH.test(image) && !image.includes('..') ? image : null;
}

/** A square product image, or a pastel placeholder when there is none. */
export function ProductImage(props: { src: string | null | undefined; alt: string; sizes: string; eager?: boolean; size?: number }) {
  const src = mediaPath(props.src);
  if (!src) {
    return (
      <div className="image-placeholder" aria-hidden="true">
        <span>♡</span>
      </div>
    );
  }
  return (
    <Image
      src={src}
      alt={props.alt}
      width={props.size ?? 480}
      height={props.size ?? 480}
      sizes={props.sizes}
      // SVGs bypass the optimizer (see next.config.ts); rasters use it.
      unoptimized={src.toLowerCase().endsWith('.svg')}
      placeholder={PLACEHOLDER}
      loading={props.eager ? 'eager' : 'lazy'}
      {...(props.eager ? { fetchPriority: 'high' as const } : {})}
    />
  );
}
