'use client';

import { usePathname } from 'next/navigation';
import { Unavailable } from '../../../components/catalog/unavailable';

/** The product could not be loaded (API unreachable, no earlier data): this answer is never cached. */
export default function ProductError() {
  return <Unavailable retryHref={usePathname()} />;
}
