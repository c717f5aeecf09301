import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { AdminNav } from './_components/admin-nav';
import './admin.css';

export const metadata: Metadata = { title: 'Administration', robots: { index: false, follow: false } };

/** The back office frame: its menu, then the page. */
export default function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <div className="admin">
      <AdminNav />
      {children}
    </div>
  );
}
