import Link from 'next/link';

/** A breadcrumb trail; the last entry is the current page (not a link). */
export function Breadcrumbs({ items }: { items: { name: string; href?: string }[] }) {
  return (
    <nav className="breadcrumbs" aria-label="Fil d’Ariane">
      <ol>
        {items.map((item, index) =>
          item.href && index < items.length - 1 ? (
            <li key={item.href}>
              <Link href={item.href}>{item.name}</Link>
            </li>
          ) : (
            <li key={item.name} aria-current="page">
              {item.name}
            </li>
          ),
        )}
      </ol>
    </nav>
  );
}
