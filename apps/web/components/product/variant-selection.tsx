'use client';

import { createContext, useContext, useState, type ReactNode } from 'react';

const Selection = createContext<{ variantId: string | undefined; select: (id: string) => void } | null>(null);

/** Holds the variant chosen on a product page, shared by the variant picker and the gallery. */
export function VariantSelection({ initial, children }: { initial: string | undefined; children: ReactNode }) {
  const [variantId, select] = useState(initial);
  return <Selection.Provider value={{ variantId, select }}>{children}</Selection.Provider>;
}

/** The chosen variant and how to change it; outside a `VariantSelection`, a local choice. */
export function useVariantSelection(initial: string | undefined): [string | undefined, (id: string) => void] {
  const shared = useContext(Selection);
  const [local, setLocal] = useState(initial);
  return shared ? [shared.variantId, shared.select] : [local, setLocal];
}
